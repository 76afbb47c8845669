"""Addresses made from names: a slug free among a model's rows that no other page of the
app answers. Communities, partners and learning programmes each have a page at
/<app>/<slug>/ after the app's own paths, so "manage" or "mine" must never be a slug."""

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.text import slugify


def answered_elsewhere(url_name, slug) -> bool:
    """Whether the address `url_name` ("app:detail") gives `slug` is another page's (or
    no address at all), so the slug cannot be used."""
    try:
        match = resolve(reverse(url_name, args=[slug]))
    except (NoReverseMatch, Resolver404):
        return True
    return f"{match.namespace}:{match.url_name}" != url_name


def unique_slug(rows, text, *, fallback, url_name, length=120):
    """A slug for `text` that none of `rows` (the model's rows, the object itself left
    out) has and that `url_name` gives to its own page: "<fallback>" when `text` has no
    letters, "<slug>-<fallback>" when another page answers, then "-2", "-3"…"""
    base = (slugify(text) or fallback)[:length].strip("-") or fallback
    if answered_elsewhere(url_name, base):
        base = f"{base}-{fallback}"
    slug, number = base, 2
    while rows.filter(slug=slug).exists() or answered_elsewhere(url_name, slug):
        slug, number = f"{base}-{number}", number + 1
    return slug
