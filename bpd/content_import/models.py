"""What an import run did, so it can be read again and reverted as one."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One `import_content` run that wrote something (dry runs leave no run behind)."""

    source = models.CharField(_("imported from"), max_length=500)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    report = models.TextField(_("report"), blank=True)
    reverted_at = models.DateTimeField(_("reverted"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self):
        return f"#{self.pk} {self.source} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def redirect_source(self):
        """The `source` of the redirects this run made (website.Redirect knows no runs)."""
        return f"import run {self.pk}"


class ImportedObject(models.Model):
    """A record an import run created or changed; `before` restores a change."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="entries")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=10, choices=Action.choices)
    # The fields this run changed, as they were before it (restored by a revert).
    before = models.JSONField(null=True, blank=True)
    label = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.action} {self.label}"


class ImportedFile(models.Model):
    """A file of the imported site (an image under /assets/, a PDF, an external image)
    stored in the platform's media storage; images become WebP with their size known."""

    source = models.CharField(_("original address"), max_length=500, unique=True)
    digest = models.CharField(max_length=64)
    file = models.FileField(_("file"), upload_to="imported/", max_length=300)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="files"
    )

    class Meta:
        ordering = ["source"]
        verbose_name = _("imported file")
        verbose_name_plural = _("imported files")

    def __str__(self):
        return self.source
