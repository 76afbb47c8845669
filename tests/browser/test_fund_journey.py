"""The whole Fund journey in a browser: a leader applies, two reviewers score (one declares a
conflict, so a third scores instead), the executor allocates and releases, the leader accepts,
the treasurer books, and the leader sees the itinerary and downloads the letter."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from bpd.conferences.models import Conference
from bpd.fund.models import Application, Criterion, ExchangeRate, Round
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
    Conference.objects.create(
        name="EuroPython",
        url="https://ep.example",
        city="Prague",
        country="CZ",
        starts_on=start,
        ends_on=start + dt.timedelta(days=3),
        status=Conference.Status.PUBLISHED,
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
    page.locator("#id_event_choice").select_option(index=1)  # EuroPython — Prague, …
    page.get_by_label("Country you travel from").select_option("NG")
    page.get_by_label("Passport country").select_option("NG")
    page.get_by_label("What you will do at the event").fill("Speak about our Lagos meetup.")
    page.get_by_label("What you will bring back to your local community").fill("A workshop series.")
    page.get_by_label("Currency of your estimates").select_option("NGN")
    page.get_by_label("Estimate: Flight").fill("1200000")
    page.get_by_label("Estimate: Visa appointment and fees").fill("150000")
    page.get_by_role("button", name="Save draft").click()
    # Issue 12 item 1: the draft shows the visa check, why, and what to do.
    assert page.get_by_role("heading", name="Visa check").is_visible()
    page.get_by_role("button", name="Continue").click()
    # Item 6: check your answers, change one, the consent last, then submit.
    assert page.get_by_role("heading", name="Check your answers before submitting").is_visible()
    page.get_by_role("link", name="Change what you will do at the event").click()
    page.get_by_label("What you will do at the event").fill(
        "Speak about our Lagos meetup and sprint."
    )
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_text("Speak about our Lagos meetup and sprint.").is_visible()
    page.get_by_role("button", name="Submit application").click()
    assert page.get_by_text("Agree to how we handle your data to submit.").first.is_visible()
    page.get_by_label("I agree that Black Python Devs stores this application").check()
    page.get_by_role("button", name="Submit application").click()
    assert page.get_by_role("heading", name="Application submitted").is_visible()
    assert page.get_by_role("heading", name="What happens next").is_visible()
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

    # The executor stages the proposal and releases it. Item 9: each step is confirmed
    # with its consequences stated. Item 2: nobody has visa data for a Nigerian passport
    # to Czechia, so the award waits for the executor's own visa check.
    context, page = as_user(executor)
    page.goto(base + f"/fund/{round.slug}/allocate/")
    page.get_by_role("button", name="Stage this proposal").click()
    assert page.get_by_text("Tick the box to confirm, or go back.").first.is_visible()
    page.locator("#stage_confirm").check()
    page.get_by_role("button", name="Stage this proposal").click()
    assert page.get_by_text("Settle the visa check of these awards before releasing").is_visible()
    page.locator("#release_confirm").check()
    page.get_by_role("button", name="Release all staged decisions").click()
    assert page.get_by_text("The visa check of these awards is not settled").is_visible()
    page.get_by_role("link", name=f"#{application.pk}", exact=True).click()
    page.get_by_label("feasible", exact=True).check()
    page.get_by_label("Where the answer comes from").fill("Czech embassy Abuja: slots in 10 days")
    page.get_by_role("button", name="Record the visa check").click()
    assert page.get_by_text("Visa check recorded.").is_visible()
    page.goto(base + f"/fund/{round.slug}/allocate/")
    page.locator("#release_confirm").check()
    page.get_by_role("button", name="Release all staged decisions").click()
    assert page.get_by_text("decisions released").is_visible()
    settle_and_close(context)
    application.refresh_from_db()
    assert application.status == "offered"

    # The leader accepts.
    context, page = as_user(leader)
    page.goto(base + f"/fund/applications/{application.pk}/")
    page.get_by_label("Your name exactly as in your passport").fill("AMINA ZARA LEADER")
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
    assert "AMINA ZARA LEADER" in text  # the name as in the passport
    assert "Air Peace (P47XYZ" in text
    settle_and_close(context)
