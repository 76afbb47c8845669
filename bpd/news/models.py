from django.db import models
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from bpd.website import images, languages
from bpd.website.documents import Document


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__lte=timezone.now())

    def for_reader(self, language):
        """Published posts, the reader's language first, newest first within each group."""
        return (
            self.published()
            .annotate(
                in_reader_language=Case(
                    When(language=language, then=Value(0)),
                    default=Value(1),
                    output_field=models.IntegerField(),
                )
            )
            .order_by("in_reader_language", "-published_at", "pk")
        )


class Post(Document):
    slug = models.SlugField(_("slug"), max_length=200)
    published_at = models.DateTimeField(_("published"), default=timezone.now, db_index=True)
    author_name = models.CharField(_("author"), max_length=120)
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts", verbose_name=_("tags"))
    image = models.ImageField(_("image"), upload_to="news/originals/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    image_webp = models.ImageField(upload_to="news/", blank=True, editable=False)
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_source_name = models.CharField(max_length=255, blank=True, editable=False)

    objects = PostQuerySet.as_manager()

    IMAGE_WIDTH = 800
    url_fields = ("language", "slug", "translation_key")

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="post_unique_url"),
            models.UniqueConstraint(
                fields=["language", "translation_key"], name="post_unique_translation"
            ),
        ]
        indexes = [models.Index(fields=["language", "-published_at"])]
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")

    def save(self, *args, **kwargs):
        if self.image and self.image.name != self.image_source_name:
            content, self.image_width, self.image_height = images.webp_rendition(
                self.image, width=self.IMAGE_WIDTH
            )
            self.image_webp.save(f"{self.slug}.webp", content, save=False)
            self.image_source_name = self.image.name
        elif not self.image:
            self.image_webp = ""
            self.image_width = self.image_height = None
            self.image_source_name = ""
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return languages.prefixed(f"news/{self.slug}/", self.language)
