from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bpd.audit.verbs import Verb


class Entry(models.Model):
    """One thing someone did: who, what (a verb from a fixed list), to which object, the
    state before and after, why, and when.

    Objects are named by type and id, not by foreign key, so an entry outlives the
    object (a deleted round's history stays). A deleted person's entries stay too,
    with their name replaced (`forget_person`).
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True)
    verb = models.CharField(_("what"), max_length=60, choices=Verb.choices, db_index=True)
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    subject_label = models.CharField(_("object"), max_length=200, blank=True)
    # A second object the entry belongs to (an application's round), so both histories find it.
    parent_type = models.CharField(max_length=60, blank=True)
    parent_id = models.CharField(max_length=64, blank=True)
    # The member the entry is about, when it is about one (their data, their application).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about"),
    )
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["parent_type", "parent_id"]),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb}"
