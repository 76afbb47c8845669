"""The whole Fund journey in a browser: a leader applies, two reviewers score (one declares a
conflict, so a third scores instead), the executor allocates and releases, the leader accepts,
the treasurer books, and the leader sees the itinerary and downloads the letter."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from bpd.fund.models import Application, Criterion, Event, ExchangeRate, Round
from bpd.members.roles import Role
from tests.browser.conftest import settle_and_close
from tests.browser.test_member_pages import signed_in_context
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.browser


def person(role, name):
    user = UserFactory(roles=[role])
    ProfileFactory(user=user, display_name=name)
    return user


def test_fund_journey(browser, live_server, transactional_db):
    now = timezone.now()
    start = (now + dt.timedelta(days=150)).date()
    Event.objects.create(
        name="EuroPython",
        url="https://ep.example",
        city="Prague",
        country="CZ",
        starts_on=start,
        ends_on=start + dt.timedelta(days=3),
        listed=True,
    )
    leader = person(Role.LEADER, "Amina Leader")
    reviewers = [person(Role.REVIEWER, f"Reviewer {n}") for n in range(3)]
    executor = person(Role.EXECUTOR, "Exec")
    treasurer = person(Role.TREASURER, "Treasurer")
    round = Round.objects.create(
        name="Autumn round", slug="autumn", opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=10),
        decision_date=(now + dt.timedelta(days=20)).date(), budget=500_000, currency="USD", covered=["visa", "flight", "hotel"],
    )  # fmt: skip
    round.reviewers.set(reviewers)
    Criterion.objects.create(round=round, name="Impact", weight=2)
    Criterion.objects.create(round=round, name="Need", weight=1)
    ExchangeRate.objects.create(round=round, currency="NGN", rate="0.001", as_of=now.date())
    base = live_server.url

    def as_user(user):
        context = signed_in_context(browser, live_server, user)
        context.set_default_timeout(8000)
        return context, context.new_page()

    # The leader applies.
    context, page = as_user(leader)
    page.goto(base + "/fund/")
    page.get_by_role("link", name="Apply or continue your draft").click()
    page.locator("#id_event_choice").select_option(label="EuroPython (" + str(start.year) + ")")
    page.get_by_label("Country you travel from").select_option("NG")
    page.get_by_label("Passport country").select_option("NG")
    page.get_by_label("What you will do at the event").fill("Speak about our Lagos meetup.")
    page.get_by_label("What you will bring back to your local community").fill("A workshop series.")
    page.get_by_label("Currency of your estimates").select_option("NGN")
    page.get_by_label("Estimate: Flight").fill("1200000")
    page.get_by_label("Estimate: Visa appointment and fees").fill("150000")
    page.get_by_label("I agree that Black Python Devs stores this application").check()
    page.get_by_role("button", name="Submit application").click()
    assert page.get_by_text("Submitted").first.is_visible()
    application = Application.objects.get(applicant=leader)
    assert application.requested_total == 135_000
    settle_and_close(context)

    # Reviewer 0 declares a conflict; reviewers 1 and 2 score.
    context, page = as_user(reviewers[0])
    page.goto(base + f"/fund/{round.slug}/review/")
    page.get_by_role("link", name=str(application.pk), exact=True).click()
    page.get_by_label("I understand that I will never review or decide this application").check()
    page.get_by_role("button", name="Declare a conflict").click()
    assert page.get_by_text("Nothing to review.").is_visible()
    settle_and_close(context)
    for reviewer, score in ((reviewers[1], "4"), (reviewers[2], "5")):
        context, page = as_user(reviewer)
        page.goto(base + f"/fund/applications/{application.pk}/review/")
        for group in (
            page.locator("#id_score_" + str(round.criteria.first().pk)),
            page.locator("#id_score_" + str(round.criteria.last().pk)),
        ):
            group.get_by_label(score).check()
        page.get_by_role("button", name="Submit review").click()
        assert page.get_by_role("heading", name="Other reviewers").is_visible()
        settle_and_close(context)

    # The executor stages the proposal and releases it.
    context, page = as_user(executor)
    page.goto(base + f"/fund/{round.slug}/allocate/")
    page.locator("#stage_confirm").check()
    page.get_by_role("button", name="Stage this proposal").click()
    page.locator("#release_confirm").check()
    page.get_by_role("button", name="Release all staged decisions").click()
    settle_and_close(context)
    application.refresh_from_db()
    assert application.status == "offered"

    # The leader accepts.
    context, page = as_user(leader)
    page.goto(base + f"/fund/applications/{application.pk}/")
    page.get_by_role("button", name="Accept the award").click()
    settle_and_close(context)

    # The treasurer books the flight.
    context, page = as_user(treasurer)
    page.goto(base + f"/fund/{round.slug}/money/")
    page.get_by_role("link", name=str(application.pk), exact=True).click()
    page.locator("#id_booking-category").select_option("flight")
    page.get_by_label("Vendor").fill("Air Peace")
    page.get_by_label("Booking reference").fill("P47XYZ")
    page.locator("#id_booking-cost").fill("800")
    page.get_by_label("Currency paid in").select_option("USD")
    page.locator("#id_booking-status").select_option("booked")
    page.get_by_role("button", name="Record booking").click()
    assert page.get_by_text("Booking recorded.").is_visible()
    settle_and_close(context)

    # The leader sees the itinerary and downloads the letter.
    context, page = as_user(leader)
    page.goto(base + f"/fund/applications/{application.pk}/")
    assert page.get_by_text("Air Peace").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your funding confirmation letter").click()
    with open(download.value.path(), "rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "Amina Leader" in text
    assert "Air Peace (P47XYZ" in text
    settle_and_close(context)
