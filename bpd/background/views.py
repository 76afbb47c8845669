import datetime as dt

from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bpd.background import jobs, mail
from bpd.background.models import JobRun, OutgoingEmail
from bpd.website import registry

# Executors only (the role is defined by the members app, which registers the flag).
executor_required = registry.flag_required("is_executor")

WORKER_LATE = dt.timedelta(minutes=3)


def worker_status(now=None):
    """(last heartbeat or None, whether it is recent enough)."""
    now = now or timezone.now()
    beat = jobs.last_beat()
    at = beat["at"] if beat else None
    return at, bool(at and now - at <= WORKER_LATE)


@executor_required
def mail_and_jobs(request):
    now = timezone.now()
    S = OutgoingEmail.Status
    worker_seen, worker_ok = worker_status(now)
    failed = list(OutgoingEmail.objects.filter(status=S.FAILED).order_by("-created_at")[:50])
    waiting = list(
        OutgoingEmail.objects.filter(status__in=[S.QUEUED, S.SENDING]).order_by("created_at")[:50]
    )
    counts = {
        "waiting": OutgoingEmail.objects.filter(status__in=[S.QUEUED, S.SENDING]).count(),
        "failed": OutgoingEmail.objects.filter(status=S.FAILED).count(),
        "sent_today": OutgoingEmail.objects.filter(
            status=S.SENT, sent_at__gte=now - dt.timedelta(days=1)
        ).count(),
    }
    # One query per registered job (a handful): a daily job's last run may lie far
    # behind hundreds of runs of the five-minute ones.
    schedule = [
        {
            "name": name,
            "label": jobs.LABELS.get(name, name),
            "run": JobRun.objects.filter(job=name).order_by("-slot").first(),
        }
        for name in sorted(jobs.JOBS)
    ]
    return render(
        request,
        "background/mail_and_jobs.html",
        {
            "worker_seen": worker_seen,
            "worker_ok": worker_ok,
            "worker_just_now": bool(worker_seen and now - worker_seen < dt.timedelta(minutes=1)),
            "failed": failed,
            "waiting": waiting,
            "counts": counts,
            "schedule": schedule,
        },
    )


@executor_required
@require_POST
def retry_email(request, pk):
    row = get_object_or_404(OutgoingEmail, pk=pk)
    if mail.retry(row):
        messages.success(
            request, _("The email to %(to)s is queued again.") % {"to": row.recipients}
        )
    else:
        messages.error(request, _("This email cannot be sent again."))
    return redirect("background:mail_and_jobs")


@never_cache
def ready(request):
    """Readiness for a load balancer: 200 when this process can reach the database and
    the shared cache, 503 otherwise. The task worker's last heartbeat and the queue are
    reported but do not fail the check (pages work while the worker is down)."""
    lines, ok = [], True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        lines.append("database: ok")
    except Exception as error:
        ok = False
        lines.append(f"database: unavailable ({type(error).__name__})")
    try:
        cache.set("health:probe", 1, 10)
        if cache.get("health:probe") != 1:
            raise RuntimeError("cache did not keep a value")
        lines.append("cache: ok")
        at, fresh = worker_status()
        if at is None:
            lines.append("worker: never seen")
        else:
            seconds = int((timezone.now() - at).total_seconds())
            lines.append(f"worker: {'ok' if fresh else 'late'} (last seen {seconds} s ago)")
    except Exception as error:
        ok = False
        lines.append(f"cache: unavailable ({type(error).__name__})")
    try:
        from huey.contrib.djhuey import HUEY  # inside the try: a broken queue is reported

        lines.append(f"queue: ok ({HUEY.pending_count()} waiting)")
    except Exception as error:
        lines.append(f"queue: unavailable ({type(error).__name__})")
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain", status=200 if ok else 503
    )
