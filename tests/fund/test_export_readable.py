"""Issue 12, item 16: "Download my data" writes the Fund's part and the emails for people
(labels, names, money and dates written out), while data.json keeps its codes; the
passport name goes with the account, and a staff member's deletion clears what they did."""

import datetime as dt
import io
import json
import re
import zipfile

import pytest

from bpd.fund import services
from bpd.fund.models import Application, FundingLetter, Round
from bpd.members import services as members
from tests.fund.conftest import make_application

QUEUED = {
    "EMAIL_BACKEND": "bpd.background.mail.QueuedEmailBackend",
    "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


@pytest.fixture
def traveller(settings, fund_round, event, executor, treasurer, django_capture_on_commit_callbacks):
    """A leader's trip, from application to report: a staff visa check, an award accepted
    with the name as in the passport, a letter re-issued by staff, a booking, the visa, an
    out-of-pocket cost, the trip report, and the emails the Fund sent about it."""
    for name, value in QUEUED.items():
        setattr(settings, name, value)
    fund_round.signatory = executor
    fund_round.save(update_fields=["signatory"])
    with django_capture_on_commit_callbacks(execute=True):
        application = make_application(fund_round, event)
        services.record_visa_check(
            application=application, actor=executor, verdict="feasible",
            source="The consulate's published waits",
        )  # fmt: skip
        services.stage_decision(
            application=application, outcome="award", items={"flight": 80_000}, actor=executor,
            reason="Your talk will help many.",
        )  # fmt: skip
        services.release_decisions(round=fund_round, actor=executor)
        services.reply_to_offer(
            application=application, actor=application.applicant, accept=True,
            passport_name="Amaka Nneka Okafor",
        )  # fmt: skip
        services.reissue_letter(application=application, actor=executor)
        application.refresh_from_db()
        services.add_booking(
            application=application, actor=treasurer, category="flight", vendor="Air Peace",
            amount=75_000, currency="USD", reference="XK7Q", description="Seat 12A",
            status="booked",
        )  # fmt: skip
        services.record_visa_outcome(
            application=application, actor=application.applicant,
            appointment_date=event.starts_on - dt.timedelta(days=60), decision="granted",
        )  # fmt: skip
        services.record_out_of_pocket(
            application=application, actor=treasurer, description="Taxi to the consulate",
            amount=2_000, currency="USD",
        )  # fmt: skip
        services.submit_report(
            application=application, actor=application.applicant,
            summary="I met the sprint team", brought_back="A talk for PyAccra", people_reached=40,
        )  # fmt: skip
    application.refresh_from_db()
    return application


def _download(client, user, path="/members/my-data/"):
    client.force_login(user)
    archive = zipfile.ZipFile(io.BytesIO(client.post(path).content))
    return json.loads(archive.read("data.json")), archive.read("data.md").decode()


def _assert_no_codes(readable):
    for code in (
        "amount_minor", "passport_country", "passport_name", "fund_applications", "['", "{'",
        "fund/", "award_", "flight", "## fund", "## emails",
    ):  # fmt: skip
        assert code not in readable, code
    # Every label is words: none is a key (lower case, or joined with "_"), no value a
    # Python literal.
    labels = re.findall(r"^\s*- ([^:\n]*):", readable, re.MULTILINE)
    assert [label for label in labels if "_" in label or label[:1].islower()] == []
    assert re.findall(r": (None|True|False|\d{4}-\d\d-\d\d)", readable) == []
    codes = r": (completed|booked|granted|award|sent|not_applied|NG|80000|8000\.00)$"
    assert re.findall(codes, readable, re.MULTILINE) == []


def test_readable_export_writes_the_fund_and_emails_for_people(client, traveller):
    _data, readable = _download(client, traveller.applicant)

    _assert_no_codes(readable)
    headings = [line for line in readable.splitlines() if line.startswith("#")]
    assert "## Your applications to the Black Leadership Opportunity Fund" in headings
    assert "### Test round — EuroPython" in headings
    assert "## Emails we sent you" in headings
    for line in (
        "- Status: Trip completed",
        "- Passport country: Nigeria",
        "- Name as in your passport: Amaka Nneka Okafor",
        "- Visa check: feasible",
        "- Decision: Award",
        "  - Flight: USD 800.00",
        "- Flight: Air Peace (reference XK7Q)",
        "  - Status: Booked",
        "  - Visa decision: Granted",
        "  - Replaced by a newer letter: ",
        "  - How it went: I met the sprint team",
        "  - People you have shared it with so far: 40",
        "- Taxi to the consulate: USD 20.00",
        "  - Not paid back yet",
        "- Fund: award offer: ",
        "  - Status: Sent",
    ):
        assert line in readable, line
    for letter in traveller.letters.all():
        assert f"- Reference {letter.reference}: issued " in readable
    assert str(traveller.submitted_at.year) in readable
    assert traveller.submitted_at.isoformat() not in readable


def test_readable_export_of_the_fund_is_in_the_readers_language(client, traveller):
    _data, readable = _download(client, traveller.applicant, "/fr/members/my-data/")

    _assert_no_codes(readable)
    for words in ("Statut: Voyage effectué", "Vol: USD 800,00", "Réservé", "Accordé"):
        assert words in readable, words
    assert "Trip completed" not in readable
    assert "Fonds : offre d'aide" in readable


def test_machine_export_keeps_the_funds_codes_and_adds_the_new_records(client, traveller):
    data, _readable = _download(client, traveller.applicant)

    application = data["fund"]["applications"][0]
    assert application["status"] == "completed"
    assert application["passport_country"] == "NG"
    assert application["passport_name"] == "Amaka Nneka Okafor"
    assert application["estimates"][0]["amount_minor"] in (80_000, 20_000)
    assert application["decision"]["items"] == [{"item": "flight", "amount_minor": 80_000}]
    assert application["decision"]["currency"] == "USD"
    assert application["bookings"][0]["status"] == "booked"
    assert application["visa_check"]["staff_check"]["verdict"] == "feasible"
    assert [letter["reference"] for letter in application["funding_letters"]] == [
        letter.reference for letter in traveller.letters.all()
    ]
    assert application["funding_letters"][1]["superseded_at"]
    assert {e["kind"] for e in data["emails"]} >= {"fund/email/decision_award"}


def test_deleting_the_applicants_account_removes_the_passport_name(traveller):
    application = Application.objects.get(pk=traveller.pk)
    references = sorted(application.letters.values_list("reference", flat=True))

    members.delete_account(user=traveller.applicant)

    application.refresh_from_db()
    assert application.passport_name == ""
    assert "Amaka" not in json.dumps(list(Application.objects.values()), default=str)
    assert application.applicant is None
    # Consulates may still check an issued letter by its reference.
    assert sorted(application.letters.values_list("reference", flat=True)) == references


def test_deleting_a_staff_members_account_clears_what_they_did_for_the_fund(
    traveller, executor, fund_round
):
    reissued = FundingLetter.objects.get(application=traveller, issued_by=executor)

    members.delete_account(user=executor)

    traveller.refresh_from_db()
    assert traveller.visa_checked_by is None
    assert traveller.visa_check_verdict == "feasible"  # the Fund's record stays
    reissued.refresh_from_db()  # the letter stays, without who issued it
    assert reissued.issued_by is None
    assert Round.objects.get(pk=fund_round.pk).signatory is None
    assert traveller.decision.staged_by is None


def test_readable_export_of_a_reviewer_titles_their_work_for_the_fund(
    client, application, reviewers, fund_round
):
    from tests.fund.conftest import review

    review(application, reviewers)
    data, readable = _download(client, reviewers[0])

    _assert_no_codes(readable)
    assert "## Your work for the Black Leadership Opportunity Fund" in readable
    assert "### Reviews you wrote" in readable
    assert f"- Test round: application {application.pk}" in readable
    assert "  - Impact: 4 out of 5" in readable
    assert "### Rounds you review" in readable
    assert data["fund"]["reviews_written"][0]["scores"][0]["value"] == 4
