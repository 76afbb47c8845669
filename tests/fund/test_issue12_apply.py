"""Issue 12 items 1, 5 and 6: the visa check explained on the draft, events named with
where and when, and "check your answers" before submitting, then a confirmation."""

import datetime as dt

import pytest
from django.utils import timezone

from bpd.conferences.models import Conference
from bpd.fund.models import (
    Application,
    VisaDataset,
    VisaRequirement,
    WaitTime,
    WaitTimeImport,
)
from bpd.website.templatetags.bpd import day
from tests.fund.test_views import apply_form

S = Application.Status
URL = "/fund/test-round/apply/"


@pytest.fixture
def visa_data(db):
    """Nigerian passports need a consulate visa for Czechia; appointments in Nigeria are
    30 days away (as of ten days ago)."""
    as_of = timezone.localdate() - dt.timedelta(days=10)
    VisaDataset.objects.create(source="test", as_of=as_of, rows=1)
    VisaRequirement.objects.create(passport="NG", destination="CZ", requirement="required")
    batch = WaitTimeImport.objects.create(source="test", destination="CZ", as_of=as_of)
    WaitTime.objects.create(
        batch=batch, post="Lagos", post_country="NG", category="visa", wait_days=30
    )
    return as_of


def save_draft(client, event, **overrides):
    response = client.post(URL, apply_form(event, save="1", **overrides))
    assert response.status_code == 302, response.content
    return client.get(URL).text


def test_1_the_draft_shows_the_visa_check_with_why_and_what_to_do(
    leader_client, fund_round, event, visa_data
):
    client, _user = leader_client

    page = save_draft(client, event)

    assert "Visa check" in page
    assert "A visa is needed, with a consulate appointment." in page
    assert f"On {day(visa_data)} the wait for an appointment in Nigeria was 30 days" in page
    assert "Book your visa appointment before" in page
    assert "Latest safe appointment date" in page
    assert "Check current appointment waits" not in page  # staff-only advice


def test_1_no_wait_data_says_staff_will_check_before_any_decision(
    leader_client, fund_round, event, visa_data
):
    WaitTime.objects.all().delete()
    client, _user = leader_client

    page = save_draft(client, event)

    assert "We have no appointment wait-time data for the consulates of Czechia in Nigeria." in page
    assert "Staff will check it before any decision" in page


def test_1_unknown_requirement_names_the_missing_data(leader_client, fund_round, event, visa_data):
    client, _user = leader_client

    page = save_draft(client, event, passport_country="GH", country="GH")

    assert "We have no visa data for a passport of Ghana travelling to Czechia." in page
    assert "Staff will check it before any decision" in page


def test_1_missing_facts_are_named_before_any_verdict(leader_client, fund_round, event, visa_data):
    client, _user = leader_client

    page = save_draft(client, event, passport_country="")

    assert "The visa check needs the event, your passport country" in page
    assert "Tell us your passport country and save the draft" in page


def test_1_staff_see_the_datas_age_applicants_do_not(
    client, fund_round, event, visa_data, executor
):
    from tests.fund.conftest import make_application

    VisaDataset.objects.update(as_of=timezone.localdate() - dt.timedelta(days=90))
    WaitTimeImport.objects.update(as_of=timezone.localdate() - dt.timedelta(days=90))
    application = make_application(fund_round, event)
    client.force_login(application.applicant)
    own = client.get(f"/fund/applications/{application.pk}/").text
    client.force_login(executor)
    staff = client.get(f"/fund/applications/{application.pk}/decide/").text

    assert "Check current appointment waits" not in own
    assert "Book your visa appointment before" in own
    assert "Check current appointment waits" in staff
    assert "Book your visa appointment before" not in staff


def test_5_events_are_listed_with_city_country_and_dates_and_past_ones_left_out(
    leader_client, fund_round, event
):
    Conference.objects.create(
        name="Old conf", url="https://old.example", city="Accra", country="GH",
        starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 1, 2), status=Conference.Status.PUBLISHED,
    )  # fmt: skip
    client, _user = leader_client

    page = client.get(URL).text

    assert (
        f"EuroPython — Prague, Czechia, {day(event.starts_on)} \u2013 {day(event.ends_on)}" in page
    )
    assert "Old conf" not in page
    for label in ("Event name", "Event city", "Event country", "First day", "Last day"):
        assert label in page  # a leader adds a missing event with these


def test_5_a_leader_adds_a_missing_event_with_city_country_and_dates(
    leader_client, fund_round, event
):
    client, user = leader_client
    start = timezone.localdate() + dt.timedelta(days=120)

    save_draft(
        client, event, event_choice="", new_event_name="PyCon Kenya", new_event_url="pycon.ke",
        new_event_city="Nairobi", new_event_country="KE", new_event_starts=start.isoformat(),
        new_event_ends=(start + dt.timedelta(days=2)).isoformat(),
    )  # fmt: skip

    added = Application.objects.get(applicant=user).event
    assert (added.name, added.city, added.country, added.starts_on) == (
        "PyCon Kenya",
        "Nairobi",
        "KE",
        start,
    )
    assert added.url == "https://pycon.ke"
    assert not added.listed


def test_6_continue_leads_to_check_your_answers_with_change_links_and_consent_last(
    leader_client, fund_round, event
):
    client, _user = leader_client

    form_page = client.get(URL).text
    response = client.post(URL, apply_form(event, **{"continue": "1"}))

    assert 'name="consent"' not in form_page  # asked last, on the check page
    assert response.status_code == 302
    assert response.headers["Location"] == "/fund/test-round/apply/check/"
    page = client.get(response.headers["Location"]).text
    assert "Check your answers before submitting" in page
    for answer in ("Give a talk on our meetup", "Workshops at home", "Nigeria", "EuroPython"):
        assert answer in page
    assert f'href="{URL}#id_purpose"' in page
    assert f'href="{URL}#id_cost_flight"' in page
    assert page.index('name="consent"') > page.index("Workshops at home")
    assert page.index('name="consent"') < page.index("Submit application")


def test_6_continue_with_missing_answers_keeps_the_draft_and_names_them(
    leader_client, fund_round, event
):
    client, user = leader_client

    response = client.post(URL, apply_form(event, purpose="", **{"continue": "1"}))

    assert response.status_code == 200
    assert "Say what you will do there" in response.text
    assert Application.objects.get(applicant=user).status == S.DRAFT


def test_6_submitting_needs_the_consent(leader_client, fund_round, event):
    client, user = leader_client
    client.post(URL, apply_form(event, save="1"))

    response = client.post(URL + "check/", {"submit": "1"})

    assert response.status_code == 200
    assert "Agree to how we handle your data to submit." in response.text
    assert Application.objects.get(applicant=user).status == S.DRAFT


def test_6_submitting_shows_a_confirmation_and_emails_a_summary_with_dates(
    leader_client, fund_round, event, mailoutbox, django_capture_on_commit_callbacks
):
    client, user = leader_client
    client.post(URL, apply_form(event, save="1"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL + "check/", {"consent": "on", "submit": "1"})

    application = Application.objects.get(applicant=user)
    assert application.status == S.SUBMITTED
    assert application.consent_at
    assert response.headers["Location"] == f"/fund/applications/{application.pk}/submitted/"
    page = client.get(response.headers["Location"]).text
    assert "Application submitted" in page
    assert "What happens next" in page
    assert day(fund_round.decision_date) in page
    assert "EuroPython, Prague, Czechia" in page
    [email] = [m for m in mailoutbox if "We received your application" in m.subject]
    assert email.to == [user.email]
    assert day(fund_round.decision_date) in email.body
    assert "What you applied for" in email.body


def test_6_the_check_page_sends_an_incomplete_draft_back_to_the_form(
    leader_client, fund_round, event
):
    client, _user = leader_client
    client.post(URL, apply_form(event, save="1", purpose=""))

    response = client.get(URL + "check/")

    assert response.status_code == 302
    assert response.headers["Location"] == URL
