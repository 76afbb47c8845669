from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bpd.website import images, languages
from bpd.website.documents import Document


class Page(Document):
    class Layout(models.TextChoices):
        DEFAULT = "default", _("Standard page")
        HOME = "home", _("Home page")
        TEAM = "team", _("Page with the leadership team")

    path = models.CharField(
        _("path"),
        max_length=200,
        blank=True,
        help_text=_('The address without the language, e.g. "about/". Empty for the home page.'),
    )
    layout = models.CharField(
        _("layout"), max_length=20, choices=Layout.choices, default=Layout.DEFAULT
    )
    in_menu = models.PositiveSmallIntegerField(
        _("menu position"),
        null=True,
        blank=True,
        help_text=_("Pages with a position appear in the main menu, lowest first."),
    )

    url_fields = ("language", "path", "translation_key")

    class Meta:
        ordering = ["path", "language"]
        constraints = [
            models.UniqueConstraint(fields=["language", "path"], name="page_unique_url"),
            models.UniqueConstraint(
                fields=["language", "translation_key"], name="page_unique_translation"
            ),
        ]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def get_absolute_url(self):
        return languages.prefixed(self.path, self.language)

    def unique_error_message(self, model_class, unique_check):
        # Django's own ("Page with this Language and Path already exists.") names
        # columns, not the clash; these say which address or key is taken.
        if tuple(unique_check) == ("language", "path"):
            return ValidationError(
                _(
                    "Another page already has the address %(url)s. "
                    "Choose another path, or edit that page."
                ),
                code="unique_together",
                params={"url": self.get_absolute_url()},
            )
        if tuple(unique_check) == ("language", "translation_key"):
            return ValidationError(
                _(
                    'Another page in this language already has the translation key "%(key)s". '
                    "A page has one version per language."
                ),
                code="unique_together",
                params={"key": self.translation_key},
            )
        return super().unique_error_message(model_class, unique_check)


class TeamMember(models.Model):
    """A person on the leadership team, shown on the Leadership page."""

    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=120, help_text=_("In English."))
    bio = models.TextField(_("short bio"), blank=True, max_length=2000, help_text=_("In English."))
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("Two-letter ISO code, e.g. KE.")
    )
    photo = models.ImageField(_("photo"), upload_to="team/originals/", blank=True)
    photo_alt = models.CharField(
        _("photo description"), max_length=200, blank=True, help_text=_("In English.")
    )
    # Renditions made from `photo` on save; the original is never sent to readers.
    photo_small = models.ImageField(upload_to="team/", blank=True, editable=False)
    photo_large = models.ImageField(upload_to="team/", blank=True, editable=False)
    photo_source_name = models.CharField(max_length=255, blank=True, editable=False)
    github = models.URLField("GitHub", blank=True)
    linkedin = models.URLField("LinkedIn", blank=True)
    mastodon = models.URLField("Mastodon", blank=True)
    website = models.URLField(_("website"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("shown on the site"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self):
        return self.name

    SMALL, LARGE = 160, 320

    def save(self, *args, **kwargs):
        if self.photo and self.photo.name != self.photo_source_name:
            for field, size in (("photo_small", self.SMALL), ("photo_large", self.LARGE)):
                content, _w, _h = images.webp_rendition(self.photo, width=size, square=True)
                getattr(self, field).save(f"{self.pk or 'new'}-{size}.webp", content, save=False)
            self.photo_source_name = self.photo.name
        elif not self.photo:
            self.photo_small = self.photo_large = ""
            self.photo_source_name = ""
        super().save(*args, **kwargs)

    def localised(self, language):
        """Role, bio and photo description in `language`, English where not translated."""
        for translation in self.translations.all():  # prefetched by the view
            if translation.language == language:
                return {
                    "role": translation.role or self.role,
                    "bio": translation.bio or self.bio,
                    "photo_alt": translation.photo_alt or self.photo_alt,
                }
        return {"role": self.role, "bio": self.bio, "photo_alt": self.photo_alt}

    def links(self):
        return [
            (label, url)
            for label, url in (
                ("GitHub", self.github),
                ("LinkedIn", self.linkedin),
                ("Mastodon", self.mastodon),
                (_("Website"), self.website),
            )
            if url
        ]


class TeamMemberTranslation(models.Model):
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    role = models.CharField(_("role"), max_length=120, blank=True)
    bio = models.TextField(_("short bio"), blank=True, max_length=2000)
    photo_alt = models.CharField(_("photo description"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "language"], name="team_member_one_translation_per_language"
            )
        ]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")

    def __str__(self):
        return f"{self.member} [{self.language}]"
