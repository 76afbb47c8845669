"""The funding letter in a browser: the recipient accepts with the name in their passport and
downloads the letter; an executor re-issues it from the decide page; the check page of the
new reference says the letter is genuine, and the old one says it was replaced."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from bpd.conferences.models import Conference
from bpd.fund import services
from bpd.fund.models import Application, Criterion, Round
from bpd.members.roles import Role
from tests.browser.conftest import settle_and_close
from tests.browser.test_member_pages import signed_in_context
from tests.factories import ProfileFactory, UserFactory
from tests.fund.conftest import make_application

pytestmark = pytest.mark.browser


def person(role, name):
    user = UserFactory(roles=[role])
    ProfileFactory(user=user, display_name=name)
    return user


def pdf_text(download):
    with open(download.value.path(), "rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def test_letter_journey(browser, live_server, transactional_db):
    now = timezone.now()
    start = (now + dt.timedelta(days=150)).date()
    event = Conference.objects.create(
        name="EuroPython", url="https://ep.example", city="Prague", country="CZ",
        starts_on=start, ends_on=start + dt.timedelta(days=3), status=Conference.Status.PUBLISHED,
    )  # fmt: skip
    executor = person(Role.EXECUTOR, "Grace Mensah")
    round = Round.objects.create(
        name="Autumn round", slug="autumn", opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10), decision_date=(now + dt.timedelta(days=20)).date(),
        budget=500_000, currency="USD", covered=["visa", "flight", "per_diem"],
        signatory=executor, signatory_title="Executive Director",
    )  # fmt: skip
    Criterion.objects.create(round=round, name="Impact", weight=1)
    application = make_application(round, event)
    services.stage_decision(
        application=application,
        outcome="award",
        items={"flight": 94_250, "per_diem": 12_000},
        actor=executor,
    )
    services.release_decisions(round=round, actor=executor)
    base = live_server.url

    def as_user(user):
        context = signed_in_context(browser, live_server, user)
        context.set_default_timeout(8000)
        return context, context.new_page()

    # The recipient accepts, giving the name in their passport, and downloads the letter.
    context, page = as_user(application.applicant)
    page.goto(base + f"/fund/applications/{application.pk}/")
    page.get_by_role("button", name="Accept the award").click()
    assert page.get_by_text("Enter your name exactly as in your passport.").first.is_visible()
    page.get_by_label("Your name exactly as in your passport").fill("NIA ADA BELLO")
    page.get_by_role("button", name="Accept the award").click()
    assert page.get_by_text("Your funding letter is ready to download.").is_visible()
    first = Application.objects.get(pk=application.pk).letters.get().reference
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your funding confirmation letter").click()
    text = pdf_text(download)
    assert "NIA ADA BELLO" in text
    assert "Flight: USD 942.50" in text
    assert "paid to the traveller in advance for meals and local transport: USD 120.00" in text
    assert "Grace Mensah" in text
    assert f"/fund/letters/{first}/" in text
    settle_and_close(context)

    # An executor re-issues it from the decide page.
    context, page = as_user(executor)
    page.goto(base + f"/fund/applications/{application.pk}/decide/")
    assert page.get_by_text(first).is_visible()
    page.get_by_role("link", name="Re-issue the letter, or see earlier ones").click()
    page.get_by_label("I understand that the letter in force is replaced").check()
    page.get_by_role("button", name="Re-issue the letter").click()
    second = Application.objects.get(pk=application.pk).letters.get(superseded_at=None).reference
    assert second != first
    assert page.get_by_text(f"Letter issued with the reference {second}.").is_visible()
    settle_and_close(context)

    # Anyone checks the letters, signed out.
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + f"/fund/letters/{second}/")
    assert page.get_by_text("This letter is genuine.").is_visible()
    assert page.get_by_text("NIA ADA BELLO").is_visible()
    response = page.goto(base + f"/fund/letters/{first}/")
    assert response.status == 200
    assert page.get_by_text("This letter has been replaced.").is_visible()
    settle_and_close(context)
