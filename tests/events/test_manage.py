"""The organiser's side: creating, editing, publishing and cancelling events through
their pages, the form's messages, the gate, making a series' dates (idempotent, keeping
moved and cancelled dates), the emails, and the cost of the events list."""

import datetime as dt
import zoneinfo

import pytest
from babel.dates import format_date
from django.urls import reverse
from django.utils import timezone

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.events import recurrence, services
from bpd.events.hub_links import organiser_links
from bpd.events.models import Event, Occurrence, Rsvp
from tests.factories import CityFactory, ProfileFactory, UserFactory
from tests.queries import get_with_queries

NY = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def executor(db):
    return ProfileFactory(user=UserFactory(roles=["executor"]), time_zone="Africa/Lagos").user


@pytest.fixture
def organiser(client, executor):
    client.force_login(executor)
    return client


def next_weekday(weekday=1, weeks=1):
    today = timezone.localdate()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


def payload(**changes):
    values = {
        "title": "Weekly study group", "summary": "We read Python together.",
        "description": "Bring a question.", "language": "en", "kind": "online",
        "online_url": "https://discord.example/room", "link_shown_to": "attendees",
        "venue": "", "address": "", "country": "", "city_name": "",
        "time_zone": "America/New_York", "date": next_weekday().isoformat(), "start_time": "18:00",
        "duration_minutes": "90", "repeats": "weekly", "ends": "count", "count": "4",
        "until": "", "capacity": "10",
    }  # fmt: skip
    return values | changes


def make_series(executor, **changes):
    return services.save_event(
        event=None,
        by=executor,
        data={
            "title": "Series", "summary": "S", "time_zone": "America/New_York",
            "starts_at": recurrence.wall_to_utc(dt.datetime.combine(next_weekday(), dt.time(18)), NY),
            "duration_minutes": 60, "rule": "FREQ=WEEKLY;COUNT=4", "online_url": "https://x.example",
        } | changes,
    )  # fmt: skip


def rsvp(occurrence, status=Rsvp.Status.GOING, zone="Asia/Tokyo", language="en"):
    user = UserFactory(language=language)
    ProfileFactory(user=user, time_zone=zone)
    return Rsvp.objects.create(occurrence=occurrence, member=user, status=status)


# --- Creating and editing through the pages -----------------------------------------


def test_creating_a_weekly_series_makes_its_dates_on_the_wall_clock(organiser, executor):
    response = organiser.post(reverse("events:create"), payload())
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:manage_event", args=[event.pk])
    assert event.status == Event.Status.DRAFT
    assert event.rule == "FREQ=WEEKLY;BYDAY=TU;COUNT=4"
    assert event.slug == "weekly-study-group"
    dates = list(event.occurrences.order_by("starts_at"))
    assert len(dates) == 4
    assert {d.starts_at.astimezone(NY).time() for d in dates} == {dt.time(18)}
    assert all(d.ends_at - d.starts_at == dt.timedelta(minutes=90) for d in dates)
    assert Entry.objects.filter(verb=Verb.EVENT_CREATED, subject_id=str(event.pk)).exists()


def test_the_event_page_shows_the_rule_in_words_and_zones_named(organiser, executor):
    organiser.post(reverse("events:create"), payload())
    event = Event.objects.get()
    page = organiser.get(reverse("events:manage_event", args=[event.pk])).content.decode()
    assert "Every week on Tuesday, 4 times" in page
    assert "Date (America/New_York)" in page
    assert "EDT" in page or "EST" in page
    assert "Discord announcements are off until" in page
    assert reverse("events:attendees", args=[event.occurrences.first().pk]) in page


def test_the_form_starts_in_the_organisers_zone(organiser):
    page = organiser.get(reverse("events:create")).content.decode()
    assert '<option value="Africa/Lagos" selected>' in page


def test_editing_the_time_moves_unanswered_dates_and_cancels_answered_ones(
    organiser, executor, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_series(executor)
    first, second, *_rest = event.occurrences.order_by("starts_at")
    rsvp(second)
    url = reverse("events:edit", args=[event.pk])
    form = payload(date=first.starts_at.astimezone(NY).date().isoformat(), start_time="19:00")
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser.post(url, form | {"title": "Series", "repeats": "weekly"})
    assert response.status_code == 302
    dates = Occurrence.objects.filter(event=event).order_by("starts_at")
    live = [d for d in dates if not d.cancelled]
    assert {d.starts_at.astimezone(NY).time() for d in live} == {dt.time(19)}
    assert [d.pk for d in dates if d.cancelled] == [second.pk]  # people answered for it
    assert len(mailoutbox) == 1
    assert "Cancelled" in mailoutbox[0].subject
    assert Entry.objects.filter(verb=Verb.EVENT_CHANGED).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"duration_minutes": "4"}, "duration_minutes", "greater than or equal to 5"),
        ({"duration_minutes": "721"}, "duration_minutes", "less than or equal to 720"),
        ({"capacity": "0"}, "capacity", "greater than or equal to 1"),
        ({"capacity": "10001"}, "capacity", "less than or equal to 10000"),
        ({"online_url": ""}, "online_url", "An online or hybrid event needs its link."),
        ({"kind": "in_person"}, "city_name", "An event in person needs its city."),
        ({"count": ""}, "count", "Give how many times the series happens."),
        ({"ends": "until", "until": ""}, "until", "Give the series&#x27; last date."),
        ({"ends": "until", "until": "2099-01-01"}, "until", "within two years"),
        ({"date": "2099-01-01"}, "date", "within two years"),
        ({"date": "2001-01-01"}, "date", "has not passed"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice"),
        ({"title": ""}, "title", "This field is required"),
    ],
)
def test_the_form_says_what_is_wrong(organiser, changes, field, message):
    response = organiser.post(reverse("events:create"), payload(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_an_in_person_event_takes_its_city_from_the_gazetteer(organiser):
    city = CityFactory(name="Kano", country="NG")
    changes = {"kind": "in_person", "online_url": "", "country": "NG", "city_name": "Kano",
               "venue": "Hub", "repeats": "none", "time_zone": "Africa/Lagos"}  # fmt: skip
    response = organiser.post(reverse("events:create"), payload(**changes))
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.city == city
    assert event.rule == ""
    assert event.occurrences.count() == 1


# --- Publishing and cancelling ---------------------------------------------------------


def test_publishing_needs_the_box_ticked(organiser, executor):
    event = make_series(executor)
    url = reverse("events:publish", args=[event.pk])
    response = organiser.post(url, {})
    assert response.status_code == 200
    assert "Tick the box" in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT
    organiser.post(url, {"confirm": "on"})
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert event.published_at
    assert Entry.objects.filter(verb=Verb.EVENT_PUBLISHED).exists()


def test_publishing_twice_is_refused(executor):
    event = make_series(executor)
    services.publish_event(event=event, by=executor)
    with pytest.raises(services.EventError):
        services.publish_event(event=event, by=executor)


def test_cancelling_a_date_keeps_it_visible_and_emails_seats_and_waiting_in_their_zone(
    organiser, executor, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_series(executor)
    date = event.occurrences.order_by("starts_at").first()
    rsvp(date, zone="Asia/Tokyo")
    rsvp(date, Rsvp.Status.WAITING, zone="Africa/Nairobi", language="fr")
    rsvp(date, Rsvp.Status.CANCELLED)
    url = reverse("events:cancel_occurrence", args=[date.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser.post(url, {"reason": "The host is ill", "confirm": "on"})
    assert response.status_code == 302
    date.refresh_from_db()
    assert date.cancelled
    assert date.cancel_reason == "The host is ill"
    assert len(mailoutbox) == 2
    tokyo, nairobi = sorted(mailoutbox, key=lambda m: "JST" not in m.subject)
    assert "JST" in tokyo.subject
    assert "The host is ill" in tokyo.body
    in_nairobi = date.starts_at.astimezone(zoneinfo.ZoneInfo("Africa/Nairobi")).date()
    assert "EAT" in nairobi.subject
    assert format_date(in_nairobi, "long", locale="fr") in nairobi.subject  # in French
    page = organiser.get(reverse("events:manage_event", args=[event.pk])).content.decode()
    assert "The host is ill" in page
    assert Entry.objects.filter(verb=Verb.OCCURRENCE_CANCELLED, reason="The host is ill").exists()


def test_cancelling_needs_a_reason_and_the_box(organiser, executor):
    event = make_series(executor)
    date = event.occurrences.first()
    response = organiser.post(reverse("events:cancel_occurrence", args=[date.pk]), {"reason": " "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" in page
    assert "Tick the box" in page
    date.refresh_from_db()
    assert not date.cancelled


def test_moving_a_date_keeps_it_tied_to_its_rule_date_and_emails(
    organiser, executor, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_series(executor)
    date = event.occurrences.order_by("starts_at").first()
    rsvp(date)
    new_day = date.starts_at.astimezone(NY).date() + dt.timedelta(days=1)
    url = reverse("events:move_occurrence", args=[date.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser.post(url, {"date": new_day.isoformat(), "start_time": "20:00"})
    assert response.status_code == 302
    moved = Occurrence.objects.get(pk=date.pk)
    assert moved.original_start == date.original_start
    assert moved.starts_at.astimezone(NY) == dt.datetime.combine(new_day, dt.time(20), NY)
    assert moved.ends_at - moved.starts_at == dt.timedelta(minutes=60)
    assert len(mailoutbox) == 1
    assert "Moved" in mailoutbox[0].subject
    assert Entry.objects.filter(verb=Verb.OCCURRENCE_MOVED).exists()


def test_cancelling_the_event_cancels_dates_to_come_and_emails_each_person_once(
    organiser, executor, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_series(executor)
    services.publish_event(event=event, by=executor)
    first, second, *_ = event.occurrences.order_by("starts_at")
    person = rsvp(first).member
    Rsvp.objects.create(occurrence=second, member=person, status=Rsvp.Status.GOING)
    url = reverse("events:cancel_event", args=[event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        organiser.post(url, {"reason": "Venue closed", "confirm": "on"})
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert not event.occurrences.filter(cancelled=False).exists()
    assert len(mailoutbox) == 1
    assert "Venue closed" in mailoutbox[0].body
    assert organiser.get(reverse("events:edit", args=[event.pk])).status_code == 302


# --- Making the dates -------------------------------------------------------------------


def test_materialize_is_idempotent_and_keeps_moved_and_cancelled_dates(executor):
    event = make_series(executor, rule="FREQ=WEEKLY")  # no end: bounded by the horizon
    count = event.occurrences.count()
    assert count == len(
        recurrence.expand(
            rule=event.rule, starts_at=event.starts_at, time_zone=event.time_zone,
            until=timezone.now() + dt.timedelta(days=recurrence.HORIZON_DAYS),
        )
    )  # fmt: skip
    first, second, *_ = event.occurrences.order_by("starts_at")
    services.cancel_occurrence(occurrence=first, by=executor, reason="Holiday")
    later = second.starts_at + dt.timedelta(hours=2)
    services.move_occurrence(occurrence=second, by=executor, starts_at=later)
    assert services.materialize(event=event) == 0
    assert event.occurrences.count() == count
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.cancelled
    assert first.cancel_reason == "Holiday"
    assert second.starts_at == later
    # A day later the horizon has moved by a day: one more week at most.
    made = services.materialize(event=event, now=timezone.now() + dt.timedelta(days=7))
    assert made == 1


def test_materialize_stops_at_the_cap(executor):
    event = make_series(executor, rule="FREQ=DAILY")
    assert event.occurrences.count() == recurrence.MAX_OCCURRENCES


def test_the_daily_job_makes_dates_of_published_series_only(executor):
    from bpd.events import jobs

    draft = make_series(executor, rule="FREQ=WEEKLY")
    published = make_series(executor, rule="FREQ=WEEKLY", title="Published")
    services.publish_event(event=published, by=executor)
    Occurrence.objects.all().delete()
    jobs.make_occurrences()
    assert published.occurrences.exists()
    assert not draft.occurrences.exists()


# --- The gate and the hub link -----------------------------------------------------------


def test_only_organisers_reach_the_pages(client, db):
    assert client.get(reverse("events:manage")).status_code == 302  # to sign in
    member = ProfileFactory(user=UserFactory()).user
    client.force_login(member)
    assert client.get(reverse("events:manage")).status_code == 403
    assert client.get(reverse("events:create")).status_code == 403
    assert organiser_links(member) == []


def test_organisers_reach_the_pages_from_the_hub_link(organiser, executor):
    links = dict(organiser_links(executor))
    assert organiser.get(links["Organise events"]).status_code == 200
    assert organiser.get(reverse("events:create")).status_code == 200
    # Clicked from the hub: the Events card carries both links for an organiser.
    hub = organiser.get(reverse("members:home")).text
    assert f'href="{reverse("events:manage")}"' in hub
    assert f'href="{reverse("events:create")}"' in hub
    assert "New event" in organiser.get(links["Organise events"]).text


def test_the_events_list_costs_the_same_at_two_sizes(organiser, executor, uncached):
    def add(count):
        for number in range(count):
            event = make_series(executor, title=f"E{number}")
            if number % 2:
                services.publish_event(event=event, by=executor)
            rsvp(event.occurrences.first())

    add(2)
    organiser.get(reverse("events:manage"))  # menus and site settings, cached after this
    _response, small = get_with_queries(organiser, reverse("events:manage"))
    add(8)
    response, large = get_with_queries(organiser, reverse("events:manage"))
    assert len(large) == len(small)
    assert response.content.decode().count('href="/events/manage/') >= 10


def test_the_event_page_costs_the_same_at_two_sizes(organiser, executor, uncached):
    event = make_series(executor, rule="FREQ=WEEKLY;COUNT=3")
    url = reverse("events:manage_event", args=[event.pk])
    organiser.get(url)  # menus and site settings, cached after this
    _r, small = get_with_queries(organiser, url)
    event = services.save_event(event=event, by=executor, data={"rule": "FREQ=WEEKLY;COUNT=40"})
    for date in event.occurrences.all()[:10]:
        rsvp(date)
    _r, large = get_with_queries(organiser, url)
    assert len(large) == len(small)


# --- Changing the number of seats ---------------------------------------------------


def test_raising_the_seats_offers_them_to_the_people_waiting_in_order(executor, mailoutbox):
    event = services.publish_event(event=make_series(executor, capacity=1), by=executor)
    date = event.occurrences.order_by("starts_at").first()
    rsvp(date)
    first = rsvp(date, Rsvp.Status.WAITING)
    second = rsvp(date, Rsvp.Status.WAITING)

    services.save_event(event=event, by=executor, data={"capacity": 2})

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Rsvp.Status.OFFERED
    assert first.offer_expires_at is not None
    assert second.status == Rsvp.Status.WAITING


def test_the_seats_cannot_go_below_the_seats_already_taken(organiser, executor):
    event = services.publish_event(event=make_series(executor, capacity=5), by=executor)
    date = event.occurrences.order_by("starts_at").first()
    for _person in range(3):
        rsvp(date)

    with pytest.raises(services.EventError, match="3 people already hold seats"):
        services.save_event(event=event, by=executor, data={"capacity": 2})

    event.refresh_from_db()
    assert event.capacity == 5
