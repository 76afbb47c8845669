"""Huey tasks and periodic jobs. Web processes enqueue; `manage.py run_huey` runs them.

Jobs live with their programme (e.g. the Fund's offer expiry in bpd/fund/services.py);
this module only schedules them, through bpd.background.jobs so each runs once per slot.
"""

import datetime as dt

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from bpd.background import jobs, mail

FREQUENTLY = dt.timedelta(minutes=settings.FREQUENT_JOBS_MINUTES)
DAILY = dt.timedelta(days=1)


@db_task()
def deliver_email(pk):
    mail.deliver(pk)


@db_periodic_task(crontab(minute="*"))
def heartbeat():
    jobs.beat()


@jobs.job("mail.sweep", every=FREQUENTLY)
def sweep_mail():
    return f"{mail.sweep()} emails queued again"


@jobs.job("fund.expire_offers", every=FREQUENTLY)
def expire_fund_offers():
    from bpd.fund import services

    promoted = services.lapse_overdue_offers()
    return f"{len(promoted)} waiting-list applications offered an award"


@jobs.job("cleanup.daily", every=DAILY)
def daily_cleanup():
    from bpd.background import cleanup

    return cleanup.run()


@db_periodic_task(crontab(minute=f"*/{settings.FREQUENT_JOBS_MINUTES}"))
def every_few_minutes():
    jobs.run_once("mail.sweep")
    jobs.run_once("fund.expire_offers")


@db_periodic_task(crontab(hour="3", minute="17"))
def every_day():
    jobs.run_once("cleanup.daily")
