"""Issue 12 items 3 and 4 (part): visa steps only when a visa is needed; the trip report
is asked for once the event is over."""

import datetime as dt

import pytest

from bpd.fund import selectors
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
