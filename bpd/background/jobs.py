"""Scheduled jobs: each runs once per time slot however many workers wake for it.

`run_once(job, slot, fn)` inserts a JobRun row for (job, slot); the unique constraint
lets exactly one process win, on one machine or many. The winner runs `fn`, the row
records the result (or the error) and the log says what happened. The jobs themselves
are idempotent too, so a job run again by hand (`manage.py run_job`) is harmless.
"""

import datetime as dt
import logging
import os
import socket
import traceback

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from bpd.background.models import JobRun

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "background:heartbeat"
WORKER = f"{socket.gethostname()}:{os.getpid()}"

# How often the scheduler wakes (bpd/background/tasks.py): a job's period is one of these.
FREQUENTLY = dt.timedelta(minutes=settings.FREQUENT_JOBS_MINUTES)
DAILY = dt.timedelta(days=1)

# The registry: name → (function, period). The period sets the slot a run belongs to.
JOBS = {}
LABELS = {}  # name → what the job does, as staff read it (a lazy translation)


def job(name, *, every, label=None):
    """Register `fn` as a scheduled job. Programmes register theirs in their own
    `jobs.py` (imported by their AppConfig.ready), with `every=FREQUENTLY` or `DAILY`
    and a `label` saying what it does."""
    if every not in (FREQUENTLY, DAILY):
        raise ValueError(f"job {name}: every must be jobs.FREQUENTLY or jobs.DAILY")

    def register(fn):
        JOBS[name] = (fn, every)
        LABELS[name] = label or name
        return fn

    return register


def every(period):
    """The names of the jobs that run with `period`, in registration order."""
    return [name for name, (_fn, each) in JOBS.items() if each == period]


def slot_for(every, now=None):
    now = now or timezone.now()
    seconds = int(every.total_seconds())
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def run_once(name, *, now=None):
    fn, every = JOBS[name]
    slot = slot_for(every, now)
    try:
        with transaction.atomic():
            run = JobRun.objects.create(job=name, slot=slot, worker=WORKER)
    except IntegrityError:
        log.info("Job %s for %s already taken by another worker; skipped", name, slot)
        return None
    log.info("Job %s for %s started", name, slot)
    try:
        detail = fn()
    except Exception as error:
        run.status = JobRun.Status.FAILED
        run.detail = f"{type(error).__name__}: {error}"[:1000]
        log.error("Job %s failed:\n%s", name, traceback.format_exc())
    else:
        run.status = JobRun.Status.DONE
        run.detail = str(detail or "")[:1000]
        log.info("Job %s for %s done: %s", name, slot, run.detail)
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "detail", "finished_at"])
    return run


def beat():
    cache.set(HEARTBEAT_KEY, {"at": timezone.now(), "worker": WORKER}, None)


def last_beat():
    """When a task worker last said it was alive, or None."""
    return cache.get(HEARTBEAT_KEY)
