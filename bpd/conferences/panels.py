"""What other programmes add to a conference's page, without this app knowing them.

A provider is `provider(conference) -> list of Panel(title, text, url)`; the Fund
registers "a round is open for this conference" from its own AppConfig.ready."""

from typing import NamedTuple

_providers = []


class Panel(NamedTuple):
    title: str
    text: str
    url: str = ""


def add_panel(provider):
    """Register `provider`; registering the same one twice keeps one."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels(conference):
    """Every registered provider's panels for `conference`, in registration order."""
    return [Panel(*panel) for provider in _providers for panel in provider(conference)]
