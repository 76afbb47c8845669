"""The daily clean-up: what has expired is removed, so nothing is kept longer than needed."""

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from bpd.background.models import JobRun, OutgoingEmail

EMAIL_RECORDS_KEPT = dt.timedelta(days=90)
JOB_RUNS_KEPT = dt.timedelta(days=30)


def run(*, now=None):
    now = now or timezone.now()
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    emails, _ = OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED],
        created_at__lt=now - EMAIL_RECORDS_KEPT,
    ).delete()
    runs, _ = JobRun.objects.filter(slot__lt=now - JOB_RUNS_KEPT).delete()
    return f"expired sessions cleared; {emails} email records and {runs} job records removed"
