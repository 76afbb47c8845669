#!/usr/bin/env python3
"""Events and the conference list: throughput of their public pages, the personal calendar
feed's queries, and expanding a weekly series.

    .venv/bin/python bench/events.py [--duration 10] [--connections 16] [--no-load]

Builds its own database (bench/out/events.sqlite3, or BENCH_DATABASE_URL): the site's
content, 20 conferences with deadlines (the sample import files), a weekly series and a
monthly talk made by the organiser's services, and a member with 200 RSVPs who follows
every conference. Then prints:

- the SQL queries of that member's personal iCalendar feed (target <= 5), taken in
  process through Django's test client with every cache missing;
- the time to expand a weekly series over two years with bpd.events.recurrence.expand
  (best and median of 50; target < 10 ms);
- unless --no-load: the events index, an event page and the conference list as an
  anonymous reader, served by gunicorn with production settings and loaded with wrk (as
  bench/load.py does), in requests/s as a ratio of /healthz measured in the same run
  (target >= 70%).
"""

import argparse
import datetime as dt
import os
import shutil
import statistics
import time
from pathlib import Path

from _setup import OUT, django_setup

RSVPS = 200


def build():
    """Returns (event slug, personal feed path)."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from bpd.conferences import importers
    from bpd.conferences.models import Conference, Follow
    from bpd.events import rsvp, services
    from bpd.events.models import Event, Occurrence, Rsvp
    from bpd.members.models import User
    from bpd.members.roles import Role

    samples = Path(importers.__file__).parent / "data" / "samples"
    importers.import_file(
        path_or_file=samples / "python-organizers-2027.csv", format="python-organizers"
    )
    importers.import_file(path_or_file=samples / "bpd-conferences.json", format="bpd-json")
    organiser, _ = User.objects.get_or_create(email="bench-organiser@example.com")
    organiser.groups.add(Group.objects.get_or_create(name=Role.EXECUTOR)[0])
    member, _ = User.objects.get_or_create(email="bench-feed@example.com")
    now = timezone.now()
    start = (now + dt.timedelta(days=1)).replace(hour=23, minute=0, second=0, microsecond=0)
    events = []
    for title, rule in (
        ("Bench study group", "FREQ=WEEKLY;BYDAY=TU"),
        ("Bench office hours", "FREQ=WEEKLY;BYDAY=TH"),
        ("Bench monthly talk", "FREQ=MONTHLY;BYDAY=1TH"),
    ):
        event = services.save_event(
            event=None,
            by=organiser,
            data={
                "title": title, "summary": "A benchmark series.", "kind": Event.Kind.ONLINE,
                "online_url": "https://discord.gg/example", "time_zone": "America/New_York",
                "starts_at": start, "duration_minutes": 60, "rule": rule, "capacity": 30,
            },
        )  # fmt: skip
        events.append(services.publish_event(event=event, by=organiser))
    occurrences = Occurrence.objects.filter(event__in=events).order_by("starts_at")[:RSVPS]
    Rsvp.objects.bulk_create(
        Rsvp(occurrence=o, member=member, status=Rsvp.Status.GOING) for o in occurrences
    )
    Follow.objects.bulk_create(
        Follow(conference=c, member=member) for c in Conference.objects.published()
    )
    token = rsvp.create_calendar_settings(member=member).feed_token
    return events[0].slug, token


def feed_queries(token):
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    url = reverse("events:personal_feed", args=[token])
    dummy = {alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in caches}
    with override_settings(CACHES=dummy, ALLOWED_HOSTS=["*"]):
        client = Client()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    assert response.status_code == 200, response.status_code
    events = response.content.count(b"BEGIN:VEVENT")
    return len(queries), events, len(response.content)


def expand_times(repeat=50):
    from bpd.events import recurrence

    start = dt.datetime(2027, 1, 5, 23, 0, tzinfo=dt.UTC)
    until = start + dt.timedelta(days=730)
    times, count = [], 0
    for _ in range(repeat):
        began = time.perf_counter()
        count = len(
            recurrence.expand(
                rule="FREQ=WEEKLY;BYDAY=TU",
                starts_at=start,
                time_zone="America/New_York",
                until=until,
            )
        )
        times.append((time.perf_counter() - began) * 1000)
    return min(times), statistics.median(times), count


def throughput(database_url, slug, *, duration, connections, port):
    import load

    pages = [
        ("Baseline (/healthz)", "/healthz"),
        ("Events index", "/events/"),
        ("An event page", f"/events/{slug}/"),
        ("Conference list", "/conferences/"),
    ]
    return load.against_baseline(
        database_url, pages, duration=duration, connections=connections, port=port
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--no-load", action="store_true", help="skip the HTTP load")
    args = parser.parse_args()
    database = OUT / "events.sqlite3"
    if not os.environ.get("BENCH_DATABASE_URL"):
        database.unlink(missing_ok=True)
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{database}"
    import load

    shutil.rmtree(OUT / "var" / "cache", ignore_errors=True)
    os.environ["DJANGO_SECRET_KEY"] = load.SECRET
    django_setup(database_url)
    import synthetic

    synthetic.load_site()
    slug, token = build()

    queries, events, size = feed_queries(token)
    print("| measure | value | target | met |")
    print("|---|---:|---|---|")
    print(f"| personal feed, member with {RSVPS} RSVPs ({events} VEVENTs, {size // 1024} KB): "
          f"queries | {queries} | ≤ 5 | {'yes' if queries <= 5 else 'NO'} |")  # fmt: skip
    best, median, count = expand_times()
    print(f"| expanding a weekly series over two years ({count} dates): best / median ms | "
          f"{best:.2f} / {median:.2f} | < 10 ms | {'yes' if median < 10 else 'NO'} |")  # fmt: skip
    if args.no_load:
        return
    rows = throughput(
        database_url, slug, duration=args.duration, connections=args.connections, port=args.port
    )
    print(f"\n{os.cpu_count()} gunicorn workers, {args.connections} connections, "
          f"{args.duration} s per page, anonymous reader\n")  # fmt: skip
    print(load.ratio_table(rows))


if __name__ == "__main__":
    main()
