"""Events in "download my data" and "delete my account"."""

import pytest

from bpd.events import rsvp as rsvps
from bpd.events.models import CalendarSettings, Event, Rsvp
from bpd.members import services as members
from bpd.members.exports import collect
from bpd.website import registry
from tests.events.rsvp_factories import make_member, make_occurrence

pytestmark = pytest.mark.django_db


def test_every_events_model_that_refers_to_a_member_is_named():
    handled = registry.personal_data_models()

    assert {"events.Rsvp", "events.CalendarSettings", "events.Event"} <= set(handled)


def test_the_export_holds_rsvps_and_calendar_settings_but_not_the_secret_address():
    member = make_member()
    occurrence = make_occurrence(capacity=3)
    rsvps.rsvp(occurrence=occurrence, member=member)
    settings = rsvps.set_reminders(member=member, on=False)

    data = collect(member)["events"]

    assert data["rsvps"][0]["event"] == occurrence.event.title
    assert data["rsvps"][0]["status"] == "going"
    assert data["calendar_settings"]["reminders"] is False
    assert settings.feed_token not in repr(data)


def test_the_readable_export_names_the_event_and_the_status():
    member = make_member()
    occurrence = make_occurrence(capacity=3)
    rsvps.rsvp(occurrence=occurrence, member=member)

    sections = registry.personal_data()
    part = next(p for p in sections if p.name == "events")
    written = repr(part.readable(part.collect(member)))

    assert occurrence.event.title in written
    assert "Going" in written


def test_deleting_an_account_frees_its_seat_for_the_next_person(
    django_capture_on_commit_callbacks, mailoutbox
):
    occurrence = make_occurrence(capacity=1)
    leaving, waiting = make_member(), make_member()
    rsvps.rsvp(occurrence=occurrence, member=leaving)
    rsvps.rsvp(occurrence=occurrence, member=waiting)
    rsvps.create_calendar_settings(member=leaving)
    Event.objects.filter(pk=occurrence.event_id).update(created_by=leaving)

    with django_capture_on_commit_callbacks(execute=True):
        members.delete_account(user=leaving)

    assert Rsvp.objects.get(member=waiting).status == Rsvp.Status.OFFERED
    assert not Rsvp.objects.filter(member_id=leaving.pk).exists()
    assert not CalendarSettings.objects.filter(member_id=leaving.pk).exists()
    assert Event.objects.get(pk=occurrence.event_id).created_by is None
    assert [m.to for m in mailoutbox if "seat is free" in m.subject] == [[waiting.email]]
