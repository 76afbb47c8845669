from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """An email a page or job asked to send; the task worker delivers it.

    The message itself is kept only until it is delivered: once sent, only who, what
    kind and when remain. Sign-in codes are never kept after their last attempt.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=80)
    urgent = models.BooleanField(_("urgent"), default=False)
    recipients = models.CharField(_("to"), max_length=500)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    message = models.JSONField(_("message"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")

    def __str__(self):
        return f"{self.kind} → {self.recipients}"

    @property
    def can_retry(self):
        return self.status == self.Status.FAILED and self.message is not None


class JobRun(models.Model):
    """One run of a scheduled job for one time slot. The unique (job, slot) pair is the
    lock: when two workers (or two machines) wake at the same moment, one inserts the
    row and runs the job, the other finds the row and skips."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    job = models.CharField(_("job"), max_length=80)
    slot = models.DateTimeField(_("scheduled for"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=120, blank=True)
    detail = models.CharField(_("result"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-slot", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="jobrun_one_per_slot"),
        ]
        verbose_name = _("scheduled job run")
        verbose_name_plural = _("scheduled job runs")

    def __str__(self):
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
