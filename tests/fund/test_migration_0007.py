"""Fund migration 0007: the Fund's own event table becomes the conference list, and every
application keeps its event. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("fund", "0006_issue12_visa_checks_letters_refunds")]
AFTER = [("fund", "0007_event_becomes_conference")]

# Migrations need a real transaction per step (and no test transaction around them).
pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before():
    apps = _migrate(BEFORE)
    yield apps
    # Leave the database as every other test expects it: fully migrated.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_migration_0007_every_application_keeps_its_event(before):
    User = before.get_model("members", "User")
    Event = before.get_model("fund", "Event")
    Round = before.get_model("fund", "Round")
    Application = before.get_model("fund", "Application")
    now = timezone.now()
    round = Round.objects.create(
        name="Round", slug="round", opens_at=now, closes_at=now + dt.timedelta(days=30),
        decision_date=dt.date(2027, 1, 1), budget=1_000_000,
    )  # fmt: skip
    leaders = [User.objects.create(email=f"leader{n}@example.com") for n in range(4)]
    listed = Event.objects.create(
        name="PyCon Africa", url="https://africa.pycon.org/", city="Accra", country="GH",
        starts_on=dt.date(2027, 8, 11), ends_on=dt.date(2027, 8, 15), listed=True,
    )  # fmt: skip
    unlisted = Event.objects.create(
        name="PyHo", url="https://pyho.org/", city="Ho", country="GH",
        starts_on=dt.date(2027, 10, 22), ends_on=dt.date(2027, 10, 23), listed=False,
    )  # fmt: skip
    # Same name and year as the listed one: the copy needs another address.
    namesake = Event.objects.create(
        name="PyCon Africa", url="https://africa.pycon.org/", city="Accra", country="GH",
        starts_on=dt.date(2027, 9, 1), ends_on=dt.date(2027, 9, 2), listed=False,
    )  # fmt: skip
    expected = {}
    for leader, event in zip(leaders, [listed, listed, unlisted, namesake], strict=True):
        application = Application.objects.create(round=round, applicant=leader, event=event)
        expected[application.pk] = (event.name, event.starts_on, event.ends_on, leader.pk)
    no_event = Application.objects.create(
        round=round, applicant=User.objects.create(email="x@example.com")
    )

    after = _migrate(AFTER)

    Conference = after.get_model("conferences", "Conference")
    Application = after.get_model("fund", "Application")
    assert Application.objects.count() == len(expected) + 1
    assert Application.objects.get(pk=no_event.pk).event_id is None
    assert Conference.objects.count() == 3
    for pk, (name, starts_on, ends_on, applicant_id) in expected.items():
        conference = Application.objects.select_related("event").get(pk=pk).event
        assert (conference.name, conference.starts_on, conference.ends_on) == (
            name,
            starts_on,
            ends_on,
        )
        if starts_on == listed.starts_on:
            assert (conference.status, conference.suggested_by_id) == ("published", None)
        else:
            assert (conference.status, conference.suggested_by_id) == ("suggested", applicant_id)
    published = Conference.objects.get(status="published")
    assert (published.url, published.city, published.country) == (
        "https://africa.pycon.org/",
        "Accra",
        "GH",
    )
    assert len(set(Conference.objects.values_list("slug", flat=True))) == 3
