"""Writes to the site-wide settings."""

from bpd.website.models import SiteSettings, SocialLink


def load_site_settings(data):
    """Set the site settings and social links from `data`, only if staff have set none yet."""
    if not SiteSettings.objects.exists():
        SiteSettings(**data.get("settings", {})).save()
    if not SocialLink.objects.exists():
        for order, link in enumerate(data.get("social_links", [])):
            SocialLink.objects.create(order=order, **link)
