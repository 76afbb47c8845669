"""Huey tasks and periodic jobs. Web processes enqueue; `manage.py run_huey` runs them.

Jobs live with their programme (e.g. the Fund's offer expiry in bpd/fund/jobs.py), which
registers them with `bpd.background.jobs.job`; this module wakes every few minutes and
once a day and runs each registered job of that period once per slot.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from bpd.background import cleanup, jobs, mail


@db_task()
def deliver_email(pk):
    mail.deliver(pk)


@db_periodic_task(crontab(minute="*"))
def heartbeat():
    jobs.beat()


@jobs.job("mail.sweep", every=jobs.FREQUENTLY, label=_("Email: send what is waiting in the queue"))
def sweep_mail():
    return f"{mail.sweep()} emails queued again"


@jobs.job(
    "cleanup.daily",
    every=jobs.DAILY,
    label=_("Clean-up: expired sessions, old email and job records"),
)
def daily_cleanup():
    return cleanup.run()


@db_periodic_task(crontab(minute=f"*/{settings.FREQUENT_JOBS_MINUTES}"))
def every_few_minutes():
    for name in jobs.every(jobs.FREQUENTLY):
        jobs.run_once(name)


@db_periodic_task(crontab(hour="3", minute="17"))
def every_day():
    for name in jobs.every(jobs.DAILY):
        jobs.run_once(name)
