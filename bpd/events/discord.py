"""Announcing events on Discord: one small client with two calls (standard library only).

- `post_announcement`: a message through the announcements channel's webhook, with the
  time as a Discord timestamp (`<t:…:F>`), which every reader's Discord shows in their
  own zone and language.
- `create_scheduled_event`: a Discord scheduled event (the server's "Events" list)
  through the bot, as an external event whose location is the event's page.

Both are off until their settings are present (DISCORD_EVENTS_WEBHOOK_URL;
DISCORD_BOT_TOKEN and DISCORD_GUILD_ID), and say so rather than fail."""

import datetime as dt
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.urls import NoReverseMatch, reverse

TIMEOUT = 5  # seconds: publishing waits for this at most per call
# A rate limit asking for a longer wait than this is reported, not waited for.
LONGEST_WAIT = 2.0
EXTERNAL = 3  # Discord's entity_type for an event outside Discord
GUILD_ONLY = 2  # Discord's privacy_level for scheduled events


class DiscordError(Exception):
    """Discord refused the call or could not be reached (the message is for staff)."""


def webhook_configured() -> bool:
    return bool(settings.DISCORD_EVENTS_WEBHOOK_URL)


def bot_configured() -> bool:
    return bool(settings.DISCORD_BOT_TOKEN and settings.DISCORD_GUILD_ID)


def event_url(event) -> str:
    """The event's public page, as a full address."""
    try:
        path = reverse("events:detail", args=[event.slug])
    except NoReverseMatch:  # the public pages are not wired (tests of this client alone)
        path = f"/events/{event.slug}/"
    return settings.SITE_URL + path


def _call(method, url, payload, *, bot_token=None):
    """Send `payload` as JSON; the answer's JSON. One retry when Discord asks for a
    short wait (429 with retry_after), so a busy moment does not lose the announcement."""
    headers = {"Content-Type": "application/json", "User-Agent": "bpd-platform (events)"}
    if bot_token:
        headers["Authorization"] = f"Bot {bot_token}"
    data = json.dumps(payload).encode()
    for attempt in (1, 2):
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                body = response.read()
                return json.loads(body) if body else {}
        except urllib.error.HTTPError as error:
            if error.code == 429:
                wait = _retry_after(error)
                if attempt == 1 and wait is not None and wait <= LONGEST_WAIT:
                    time.sleep(wait)
                    continue
                raise DiscordError(f"Discord is rate limiting us (retry after {wait} s)") from error
            raise DiscordError(f"Discord answered {error.code}: {_reason(error)}") from error
        except (urllib.error.URLError, TimeoutError, OSError, json.JSONDecodeError) as error:
            raise DiscordError(f"Discord could not be reached: {error}") from error
    raise DiscordError("Discord is rate limiting us")  # pragma: no cover (loop returns)


def _retry_after(error):
    try:
        return float(json.loads(error.read() or b"{}").get("retry_after"))
    except (TypeError, ValueError, AttributeError):
        value = error.headers.get("Retry-After") if error.headers else None
        try:
            return float(value)
        except (TypeError, ValueError):
            return None


def _reason(error):
    try:
        return str(json.loads(error.read() or b"{}").get("message", ""))[:200]
    except (ValueError, AttributeError):
        return ""


def _unix(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def post_announcement(webhook_url, event, occurrence) -> str:
    """Post the event to the webhook's channel; the message's id."""
    start = _unix(occurrence.starts_at)
    lines = [
        f"**{event.title}**",
        event.summary,
        f"<t:{start}:F> (<t:{start}:R>)",
        event_url(event),
    ]
    payload = {
        "content": "\n".join(line for line in lines if line)[:2000],
        # An event title is not allowed to ping anyone.
        "allowed_mentions": {"parse": []},
    }
    separator = "&" if "?" in webhook_url else "?"
    answer = _call("POST", f"{webhook_url}{separator}wait=true", payload)
    return str(answer.get("id", ""))


def create_scheduled_event(bot_token, guild_id, event, occurrence) -> str:
    """Create the Discord scheduled event for one occurrence; its id."""
    url = event_url(event)
    payload = {
        "name": event.title[:100],
        "description": event.summary[:1000],
        "privacy_level": GUILD_ONLY,
        "entity_type": EXTERNAL,
        "entity_metadata": {"location": url[:100]},
        "scheduled_start_time": occurrence.starts_at.astimezone(dt.UTC).isoformat(),
        "scheduled_end_time": occurrence.ends_at.astimezone(dt.UTC).isoformat(),
    }
    api = settings.DISCORD_API_URL.rstrip("/")
    answer = _call(
        "POST", f"{api}/guilds/{guild_id}/scheduled-events", payload, bot_token=bot_token
    )
    return str(answer.get("id", ""))
