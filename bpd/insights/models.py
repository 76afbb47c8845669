"""The figures of one day: what the daily job computed (`bpd.insights.services.refresh`),
kept as a summary the pages read in one query instead of counting members per request."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    """Exact counts (`raw`, never shown: the input to the rule) and the two publications
    made from them with `bpd.insights.suppression`: `public` (the public page, its CSVs
    and JSON) and `staff` (the executors' and treasurer's page, with money)."""

    computed_at = models.DateTimeField(_("computed at"), default=timezone.now, db_index=True)
    raw = models.JSONField(default=dict)
    public = models.JSONField(default=dict)
    staff = models.JSONField(default=dict)
    # "daily" for the job's run, else the region an on-demand refresh recomputed.
    scope = models.CharField(max_length=10, default="daily")

    class Meta:
        ordering = ["-computed_at", "-pk"]
        get_latest_by = ["computed_at", "pk"]
        verbose_name = _("insights snapshot")

    def __str__(self):
        return f"{self.computed_at:%Y-%m-%d %H:%M} ({self.scope})"
