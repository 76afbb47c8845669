"""Issue 12 items 3 and 4: visa steps only when a visa is needed; the trip report is asked
for once the event is over, and reminded of one and three weeks later (a daily job)."""

import datetime as dt

import pytest
from django.utils import timezone

from bpd.background import tasks
from bpd.background.models import JobRun
from bpd.fund import selectors, services
from bpd.fund.models import Application
from tests.fund.conftest import make_application
from tests.fund.test_confirmations import accepted


def with_requirement(application, requirement):
    Application.objects.filter(pk=application.pk).update(
        verdict_details={**application.verdict_details, "requirement": requirement}
    )
    application.refresh_from_db()
    return application


@pytest.mark.parametrize(("requirement", "shown"), [("none", False), ("on_arrival", False),
                                                    ("required", True), ("evisa", True)])  # fmt: skip
def test_3_visa_steps_appear_only_when_a_visa_is_needed(
    client, application, executor, requirement, shown
):
    award = with_requirement(accepted(application, executor), requirement)
    client.force_login(award.applicant)

    html = client.get(f"/fund/applications/{award.pk}/").text

    assert ('id="visa-h"' in html) is shown
    assert ("for the visa interview" in html) is shown


def test_3_an_award_leaves_out_a_visa_that_is_not_needed(fund_round, event):
    application = make_application(fund_round, event, costs={"flight": 80_000, "visa": 20_000})

    assert "visa" in selectors.default_award_items(with_requirement(application, "required"))
    assert "visa" not in selectors.default_award_items(with_requirement(application, "none"))


def test_4_the_trip_report_is_asked_for_once_the_event_is_over(client, application, executor):
    award = accepted(application, executor)
    client.force_login(award.applicant)
    page = f"/fund/applications/{award.pk}/"

    before = client.get(page).text
    assert f'action="/fund/applications/{award.pk}/report/"' not in before
    assert "When the event is over" in before

    event = award.event
    event.starts_on = dt.date.today() - dt.timedelta(days=10)
    event.ends_on = dt.date.today() - dt.timedelta(days=7)
    event.save()

    after = client.get(page).text
    assert f'action="/fund/applications/{award.pk}/report/"' in after


def _event_ended(award, days_ago):
    event = award.event
    event.starts_on = timezone.localdate() - dt.timedelta(days=days_ago + 3)
    event.ends_on = timezone.localdate() - dt.timedelta(days=days_ago)
    event.save()


def test_4_the_recipient_is_reminded_one_and_three_weeks_after_the_event(
    application, executor, mailoutbox, django_capture_on_commit_callbacks
):
    award = accepted(application, executor)

    def run_daily_jobs():
        with django_capture_on_commit_callbacks(execute=True):
            tasks.every_day.call_local()
        JobRun.objects.all().delete()  # the next "day" is a new slot

    _event_ended(award, 6)
    run_daily_jobs()
    assert not [m for m in mailoutbox if "trip report" in m.subject]

    _event_ended(award, 7)
    run_daily_jobs()
    run_daily_jobs()  # a second run the same week sends nothing more
    assert len([m for m in mailoutbox if "trip report" in m.subject]) == 1

    _event_ended(award, 21)
    run_daily_jobs()
    reminders = [m for m in mailoutbox if "trip report" in m.subject]
    assert len(reminders) == 2
    assert "last reminder" in reminders[1].body
    assert f"/fund/applications/{award.pk}/" in reminders[1].body

    _event_ended(award, 40)
    run_daily_jobs()
    assert len([m for m in mailoutbox if "trip report" in m.subject]) == 2


def test_4_no_reminder_after_the_report_or_a_refused_visa(
    application, executor, mailoutbox, django_capture_on_commit_callbacks
):
    award = accepted(application, executor)
    Application.objects.filter(pk=award.pk).update(visa_decision="refused")
    _event_ended(award, 8)

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.remind_trip_reports()

    assert sent == []
