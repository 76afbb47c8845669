"""Issue 12, item 10: the funding letter a consulate can trust. It names the traveller as in
their passport (asked for once, when the award is accepted), is signed by a named executor,
states amounts with their currency's code, says honestly that a per-diem is paid to the
traveller, carries an unguessable reference and the address where anyone checks it, and the
Fund's staff can download and re-issue it."""

import datetime as dt
import gzip
import io
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.fund import letters, services
from bpd.fund.forms import RoundForm
from bpd.fund.models import Application, Conflict, FundingLetter, Round
from bpd.members import services as members
from bpd.members.roles import Role
from bpd.website.templatetags.bpd import day
from tests.factories import ProfileFactory, UserFactory
from tests.fund.conftest import make_application

S = Application.Status
ITEMS = {"flight": 94_250, "visa": 20_000, "per_diem": 12_000}


@pytest.fixture
def signatory(db):
    user = UserFactory(roles=[Role.EXECUTOR])
    ProfileFactory(user=user, display_name="Grace Mensah")
    return user


@pytest.fixture
def letter_round(fund_round, signatory):
    fund_round.covered = ["visa", "flight", "hotel", "per_diem"]
    fund_round.signatory = signatory
    fund_round.signatory_title = "Executive Director"
    fund_round.save()
    return fund_round


@pytest.fixture
def offered(letter_round, event, executor):
    """An award of USD 942.50 (flight), 200.00 (visa) and 120.00 (per-diem), offered."""
    application = make_application(letter_round, event)
    profile = application.applicant.profile
    profile.display_name = "Nia Bello (Community leader)"
    profile.save()
    services.stage_decision(application=application, outcome="award", items=ITEMS, actor=executor)
    services.release_decisions(round=letter_round, actor=executor)
    application.refresh_from_db()
    return application


@pytest.fixture
def accepted(offered):
    services.reply_to_offer(
        application=offered, actor=offered.applicant, accept=True, passport_name="NIA ADA BELLO"
    )
    offered.refresh_from_db()
    return offered


def pdf_text(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def reissue(client, application, data=None):
    url = reverse("fund:staff_letters", args=[application.pk])
    return client.post(url, {"confirm": "on"} if data is None else data)


# Asking for the name in the passport --------------------------------------------------


def test_offer_asks_for_the_passport_name_with_why_and_who_sees_it(client, offered):
    client.force_login(offered.applicant)

    page = client.get(reverse("fund:application", args=[offered.pk])).text

    assert "Your name exactly as in your passport" in page
    assert "printed on your funding letter" in page
    assert "Only you and the Fund&#x27;s staff see it." in page
    assert 'maxlength="200"' in page


def test_accepting_without_the_passport_name_is_refused_beside_the_field(client, offered):
    client.force_login(offered.applicant)

    response = client.post(reverse("fund:reply", args=[offered.pk]), {"answer": "accept"})

    assert response.status_code == 400
    assert "Enter your name exactly as in your passport." in response.text
    offered.refresh_from_db()
    assert offered.status == S.OFFERED
    assert not FundingLetter.objects.exists()


def test_declining_needs_no_passport_name(client, offered):
    client.force_login(offered.applicant)

    client.post(reverse("fund:reply", args=[offered.pk]), {"answer": "decline"})

    offered.refresh_from_db()
    assert offered.status == S.OFFER_DECLINED
    assert offered.passport_name == ""


def test_passport_name_is_bounded_to_200_characters(client, offered):
    client.force_login(offered.applicant)

    response = client.post(
        reverse("fund:reply", args=[offered.pk]), {"answer": "accept", "passport_name": "N" * 201}
    )

    assert response.status_code == 400
    offered.refresh_from_db()
    assert (offered.status, offered.passport_name) == (S.OFFERED, "")


def test_accepting_keeps_the_passport_name_and_issues_the_letter(client, offered):
    client.force_login(offered.applicant)

    client.post(
        reverse("fund:reply", args=[offered.pk]),
        {"answer": "accept", "passport_name": "  NIA   ADA BELLO "},
    )

    offered.refresh_from_db()
    assert offered.status == S.ACCEPTED
    assert offered.passport_name == "NIA ADA BELLO"
    letter = offered.letters.get()
    assert (letter.issued_by, letter.signatory_name) == (offered.applicant, "Grace Mensah")
    verbs = list(Entry.objects.filter(subject_id=str(offered.pk)).values_list("verb", flat=True))
    assert Verb.LETTER_ISSUED in verbs
    assert str(Verb.LETTER_ISSUED.label) == "Funding letter issued"


def test_an_earlier_acceptance_is_asked_for_the_name_before_the_letter(client, offered):
    # Accepted before the name was asked for.
    services.reply_to_offer(application=offered, actor=offered.applicant, accept=True)
    client.force_login(offered.applicant)

    response = client.get(reverse("fund:letter", args=[offered.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("fund:application", args=[offered.pk]) + "#letter-h"
    )
    page = client.get(reverse("fund:application", args=[offered.pk])).text
    assert reverse("fund:passport_name", args=[offered.pk]) in page
    assert reverse("fund:letter", args=[offered.pk]) not in page  # no letter offered yet

    client.post(reverse("fund:passport_name", args=[offered.pk]), {"passport_name": "NIA BELLO"})

    offered.refresh_from_db()
    assert offered.passport_name == "NIA BELLO"
    assert "NIA BELLO" in pdf_text(client.get(reverse("fund:letter", args=[offered.pk])))
    assert Entry.objects.filter(verb=Verb.PASSPORT_NAME_GIVEN, subject_id=str(offered.pk)).exists()


def test_the_passport_name_is_given_once(client, accepted):
    client.force_login(accepted.applicant)

    client.post(reverse("fund:passport_name", args=[accepted.pk]), {"passport_name": "SOMEONE"})

    accepted.refresh_from_db()
    assert accepted.passport_name == "NIA ADA BELLO"
    assert accepted.letters.count() == 1


def test_an_empty_passport_name_is_refused_beside_the_field(client, offered):
    services.reply_to_offer(application=offered, actor=offered.applicant, accept=True)
    client.force_login(offered.applicant)

    response = client.post(reverse("fund:passport_name", args=[offered.pk]), {"passport_name": " "})

    assert response.status_code == 400
    assert "Enter your name exactly as in your passport." in response.text
    assert not FundingLetter.objects.exists()


# What the letter says -----------------------------------------------------------------


def test_the_letter_names_the_passport_holder_states_amounts_signatory_and_check_address(
    client, accepted, treasurer
):
    services.add_booking(
        application=accepted, actor=treasurer, category="flight", vendor="Air Peace",
        reference="P47XYZ", amount=90_000, currency="USD", status="booked",
        starts_at=timezone.now() + dt.timedelta(days=100),
    )  # fmt: skip
    client.force_login(accepted.applicant)

    text = pdf_text(client.get(reverse("fund:letter", args=[accepted.pk])))

    letter = accepted.letters.get()
    assert "NIA ADA BELLO" in text
    assert "Nia Bello (Community leader)" not in text
    assert "Flight: USD 942.50" in text
    assert "Visa appointment and fees: USD 200.00" in text
    assert "covers USD 1,262.50" in text
    assert "Grace Mensah" in text
    assert "Executive Director" in text
    assert f"Reference: {letter.reference}" in text
    url = f"{settings.SITE_URL}/fund/letters/{letter.reference}/"
    assert f"Check this letter at: {url}" in text
    assert "Air Peace (P47XYZ" in text


def test_the_per_diem_is_said_to_be_paid_to_the_traveller_not_to_a_vendor(accepted):
    lines = letters.letter_lines(accepted, accepted.letters.get())
    texts = [line.text for line in lines]

    vendor_items = [line.text for line in lines if line.kind == "item"]
    assert not any("Per-diem" in item or "120.00" in item for item in vendor_items)
    assert (
        "Black Python Devs also gives the traveller a per-diem, paid to the traveller in advance "
        "for meals and local transport: USD 120.00." in texts
    )


def test_the_letter_writes_dates_out_in_its_language(accepted):
    letter = accepted.letters.get()
    event = accepted.event

    with translation.override("fr"):
        text = " ".join(line.text for line in letters.letter_lines(accepted, letter))
        expected = [day(event.starts_on), day(event.ends_on), day(letter.issued_at)]

    assert all(date in text for date in expected)
    assert event.starts_on.isoformat() not in text
    assert "USD 942,50" in text  # digits as the language writes them, with the code


def test_a_letter_without_a_signatory_is_signed_for_the_executors(accepted, letter_round):
    Round.objects.filter(pk=letter_round.pk).update(signatory=None, signatory_title="")
    letter = services.reissue_letter(application=accepted, actor=UserFactory(roles=[Role.EXECUTOR]))

    texts = [line.text for line in letters.letter_lines(accepted, letter)]

    assert "For Black Python Devs, the Fund's executors" in texts
    assert "Grace Mensah" not in texts


def test_a_letter_keeps_the_signatory_it_was_issued_with(client, accepted, letter_round, executor):
    letter_round.signatory = executor
    letter_round.signatory_title = "Treasurer and Director"
    letter_round.save()

    texts = [line.text for line in letters.letter_lines(accepted, accepted.letters.get())]
    assert "Grace Mensah" in texts
    client.force_login(executor)
    page = client.get(reverse("fund:staff_letters", args=[accepted.pk])).text
    assert "The round's signatory has changed since this letter was issued." in page


# The reference and later downloads ----------------------------------------------------


def test_references_are_unguessable_and_fit_their_column(accepted, letter_round, executor):
    first = accepted.letters.get().reference
    second = services.reissue_letter(application=accepted, actor=executor).reference

    assert re.fullmatch(r"BLOF-TEST-ROUND-[A-Z2-7]{10}", first)
    assert first != second
    letter_round.slug = "a-very-long-round-name-for-the-autumn-of-2027"
    assert len(services._new_reference(letter_round)) <= 40


def test_later_downloads_render_the_same_letter(client, accepted):
    client.force_login(accepted.applicant)
    url = reverse("fund:letter", args=[accepted.pk])

    first, second = pdf_text(client.get(url)), pdf_text(client.get(url))

    reference = accepted.letters.get().reference
    assert f"Reference: {reference}" in first
    assert f"Reference: {reference}" in second
    assert FundingLetter.objects.count() == 1


# The Fund's staff ---------------------------------------------------------------------


def test_treasurer_and_executor_download_the_letter(client, accepted, treasurer, executor):
    for person in (treasurer, executor):
        client.force_login(person)
        text = pdf_text(client.get(reverse("fund:staff_letter_pdf", args=[accepted.pk])))
        assert "NIA ADA BELLO" in text


def test_other_members_get_no_letter(client, accepted):
    other = UserFactory(roles=[Role.LEADER])
    client.force_login(other)

    assert client.get(reverse("fund:letter", args=[accepted.pk])).status_code == 404
    assert client.get(reverse("fund:staff_letter_pdf", args=[accepted.pk])).status_code == 403
    assert client.get(reverse("fund:staff_letters", args=[accepted.pk])).status_code == 403


def test_staff_with_a_conflict_get_no_letter(client, accepted, executor):
    Conflict.objects.create(application=accepted, reviewer=executor)
    client.force_login(executor)

    assert client.get(reverse("fund:staff_letter_pdf", args=[accepted.pk])).status_code == 404
    assert reissue(client, accepted).status_code == 404
    assert accepted.letters.count() == 1


def test_staff_pages_of_the_award_show_the_letter_box(client, accepted, treasurer, executor):
    letter = accepted.letters.get()
    for person, page in ((executor, "fund:decide"), (treasurer, "fund:bookings")):
        client.force_login(person)
        html = client.get(reverse(page, args=[accepted.pk])).text
        assert "Funding letter" in html
        assert letter.reference in html
        assert "Grace Mensah, Executive Director" in html
        assert reverse("fund:staff_letter_pdf", args=[accepted.pk]) in html
        assert reverse("fund:staff_letters", args=[accepted.pk]) in html


def test_reissuing_needs_the_box_ticked(client, accepted, treasurer):
    client.force_login(treasurer)

    response = reissue(client, accepted, data={})

    assert response.status_code == 400
    assert "Tick the box to confirm, or go back." in response.text
    assert accepted.letters.count() == 1


def test_reissuing_supersedes_the_old_reference_and_the_check_says_so(client, accepted, treasurer):
    old = accepted.letters.get()
    client.force_login(treasurer)

    reissue(client, accepted)

    old.refresh_from_db()
    new = accepted.letters.get(superseded_at__isnull=True)
    assert old.superseded_at is not None
    assert new.reference != old.reference
    entry = Entry.objects.get(verb=Verb.LETTER_REISSUED)
    assert (entry.actor, entry.before, entry.after) == (
        treasurer, {"reference": old.reference}, {"reference": new.reference},
    )  # fmt: skip
    client.logout()
    page = client.get(reverse("fund:letter_check", args=[old.reference])).text
    assert "This letter has been replaced." in page
    assert f"a newer letter replaced it on {day(old.superseded_at)}" in page
    page = client.get(reverse("fund:letter_check", args=[new.reference])).text
    assert "This letter is genuine." in page
    client.force_login(accepted.applicant)
    assert new.reference in pdf_text(client.get(reverse("fund:letter", args=[accepted.pk])))


def test_staff_issue_a_letter_for_an_award_without_one(client, offered, treasurer):
    services.reply_to_offer(application=offered, actor=offered.applicant, accept=True)
    client.force_login(treasurer)

    reissue(client, offered, data={})  # nothing to replace: no box to tick

    letter = offered.letters.get()
    assert letter.issued_by == treasurer
    # It prints the display name until the traveller gives the passport's.
    assert "Nia Bello (Community leader)" in pdf_text(
        client.get(reverse("fund:staff_letter_pdf", args=[offered.pk]))
    )
    client.force_login(offered.applicant)
    client.post(reverse("fund:passport_name", args=[offered.pk]), {"passport_name": "NIA BELLO"})
    letter.refresh_from_db()
    assert letter.superseded_at is not None  # no reference confirms the display name now
    assert offered.letters.get(superseded_at__isnull=True).reference != letter.reference


# Checking a letter --------------------------------------------------------------------


def test_the_check_shows_the_name_and_trip_and_nothing_more(client, accepted):
    letter = accepted.letters.get()

    response = client.get(reverse("fund:letter_check", args=[letter.reference.lower()]))

    page = response.text
    assert response.status_code == 200
    assert "This letter is genuine." in page
    for shown in ("NIA ADA BELLO", "EuroPython", "Prague", letter_round_name(accepted)):
        assert shown in page
    assert "Grace Mensah, Executive Director" in page
    assert day(letter.issued_at) in page
    assert accepted.applicant.email not in page
    assert "Nigeria" not in page  # the passport's country
    assert "Nia Bello (Community leader)" not in page
    assert "942" not in page
    assert "USD" not in page
    assert '<meta name="robots" content="noindex">' in page
    assert response["X-Robots-Tag"] == "noindex"


def letter_round_name(application):
    return application.round.name


def test_an_unknown_reference_is_404_with_a_friendly_page(client, accepted):
    response = client.get(reverse("fund:letter_check", args=["BLOF-TEST-ROUND-AAAAAAAAAA"]))

    assert response.status_code == 404
    assert "We have no letter with this reference." in response.text
    assert "NIA ADA BELLO" not in response.text


def test_a_deleted_account_leaves_no_letter_to_check(client, accepted):
    reference = accepted.letters.get().reference

    members.delete_account(user=accepted.applicant)

    accepted.refresh_from_db()
    assert accepted.passport_name == ""
    assert client.get(reverse("fund:letter_check", args=[reference])).status_code == 404


def test_the_check_page_fits_the_public_page_budget(client, accepted):
    reference = accepted.letters.get().reference
    with open(finders.find("website/site.css"), "rb") as handle:
        css = len(gzip.compress(handle.read()))
    for path in (f"/fund/letters/{reference}/", "/fund/letters/BLOF-NONE/"):
        html = client.get(path).content
        assert len(gzip.compress(html)) + css <= 14 * 1024, path


# The round's signatory ----------------------------------------------------------------


def test_only_executors_may_be_chosen_to_sign(letter_round, signatory, treasurer):
    form = RoundForm(instance=letter_round)

    choices = set(form.fields["signatory"].queryset)

    assert signatory in choices
    assert treasurer not in choices
    assert "Letters signed by" in str(form["signatory"].label_tag())


def test_a_signatory_needs_a_role_as_printed(client, letter_round, executor):
    client.force_login(executor)
    url = reverse("fund:round_edit", args=[letter_round.slug])
    page = client.get(url)
    data = {
        **page.context["form"].initial,
        "budget_amount": "3000",
        "currency": "USD",
        "covered": letter_round.covered,
        "reviewers": [u.pk for u in letter_round.reviewers.all()],
        "opens_at": letter_round.opens_at.strftime("%Y-%m-%d %H:%M"),
        "closes_at": letter_round.closes_at.strftime("%Y-%m-%d %H:%M"),
        "signatory": executor.pk,
        "signatory_title": "",
        **management_forms(),
    }
    data = {k: v for k, v in data.items() if v is not None}

    response = client.post(url, data)

    assert "Enter the signatory&#x27;s role as it should be printed." in response.text
    letter_round.refresh_from_db()
    assert letter_round.signatory != executor

    client.post(url, data | {"signatory_title": "Director of Programmes"})

    letter_round.refresh_from_db()
    assert (letter_round.signatory, letter_round.signatory_title) == (
        executor, "Director of Programmes",
    )  # fmt: skip


def management_forms():
    return {
        "texts-TOTAL_FORMS": "0", "texts-INITIAL_FORMS": "0",
        "criteria-TOTAL_FORMS": "0", "criteria-INITIAL_FORMS": "0",
    }  # fmt: skip


def test_the_hub_asks_an_earlier_acceptance_for_the_passport_name(client, offered):
    services.reply_to_offer(application=offered, actor=offered.applicant, accept=True)
    client.force_login(offered.applicant)

    page = client.get("/members/").text

    assert "Give your name as in your passport for your funding letter: Test round" in page
    assert reverse("fund:application", args=[offered.pk]) + "#letter-h" in page


def test_the_hub_asks_nothing_once_the_name_is_given(client, accepted):
    client.force_login(accepted.applicant)

    assert "Give your name as in your passport" not in client.get("/members/").text
