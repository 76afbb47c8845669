from django.db import models
from django.utils.translation import gettext_lazy as _

from bpd.website.versions import content_version, versioned

SETTINGS_CACHE_KEY = "website:settings:v2:{version}"


def _settings_key():
    # Saving settings or a link bumps the shared content version (bpd/website/apps.py)
    # after the commit, so every process drops its copy at once.
    return SETTINGS_CACHE_KEY.format(version=content_version())


class SiteSettings(models.Model):
    """The one place staff set the site's contact address and social links."""

    site_name = models.CharField(_("site name"), max_length=100, default="Black Python Devs")
    contact_email = models.EmailField(_("contact email"), default="contact@blackpythondevs.com")
    discord_invite_url = models.URLField(_("Discord invite link"), blank=True)
    donate_url = models.URLField(_("donation link"), blank=True)

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return str(self.site_name)

    def save(self, *args, **kwargs):
        # A singleton: whatever is saved becomes row 1.
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The settings and their links, cached until staff change them."""
        key = _settings_key()
        data = versioned.get(key)
        if data is None:
            settings_obj, created = cls.objects.get_or_create(pk=1)
            links = list(SocialLink.objects.order_by("order", "pk"))
            data = {"settings": settings_obj, "social_links": links}
            if created:  # creating the row bumped the version
                key = _settings_key()
            versioned.set(key, data, 3600)
        return data


class SocialLink(models.Model):
    class Network(models.TextChoices):
        DISCORD = "discord", "Discord"
        GITHUB = "github", "GitHub"
        LINKEDIN = "linkedin", "LinkedIn"
        MASTODON = "mastodon", "Mastodon"
        YOUTUBE = "youtube", "YouTube"
        BLUESKY = "bluesky", "Bluesky"
        INSTAGRAM = "instagram", "Instagram"
        OTHER = "other", _("Other")

    network = models.CharField(_("network"), max_length=20, choices=Network.choices)
    label = models.CharField(
        _("label"), max_length=60, blank=True, help_text=_("Shown instead of the network's name.")
    )
    url = models.URLField(_("address"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("social link")
        verbose_name_plural = _("social links")

    def __str__(self):
        return self.label or self.get_network_display()


class Redirect(models.Model):
    """A permanent redirect from an address of the old site to its new place, answered
    only where no page exists (docs/redirects.md). Written through `website.redirects`,
    which stores both paths normalised and never chained."""

    old_path = models.CharField(
        _("old address"),
        max_length=500,
        unique=True,
        help_text=_("A path on this site as the old site had it, such as /about.html."),
    )
    new_path = models.CharField(
        _("new address"),
        max_length=500,
        help_text=_("The path readers are sent to, such as /about/. Never another site."),
    )
    source = models.CharField(
        _("source"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("Who added it, such as “admin” or “import run 12”."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")
        constraints = [
            # A last guard for rows written past the service: both paths stay on this site.
            models.CheckConstraint(
                condition=models.Q(old_path__startswith="/"), name="redirect_old_path_local"
            ),
            models.CheckConstraint(
                condition=models.Q(new_path__startswith="/") & ~models.Q(new_path__startswith="//"),
                name="redirect_new_path_local",
            ),
        ]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"
