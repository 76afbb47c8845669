#!/usr/bin/env python3
"""The sponsored-ticket draw at scale: the platform's ordering and the stand-alone
verification script over the same 100,000 entries.

    .venv/bin/python bench/draw.py [--entries 100000] [--repeat 5] [--service 20000]

- the draw itself (bpd/communities/lottery.py: seed, 100,000 HMAC keys, the sort by tier
  and key), best and median of --repeat runs; target < 1 s;
- verify_draw.py run as a separate process on the draw.json of that draw (reading the
  file, checking the commitment, recomputing the seed, every key and the order); target
  < 5 s;
- with --service N (0 to skip): `tickets.run_draw` on its own SQLite database over N
  entries (the whole service: lock, rank, store every key and rank, audit; no mail is
  sent before the commit), for the record.

Prints a Markdown table with each time and its ratio to the target.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bpd.communities import lottery  # noqa: E402  (pure: no Django needed)

SCRIPT = ROOT / "bpd" / "communities" / "verify_draw.py"


def published(count, seed=2027):
    """A drawn draw as draw.json publishes it, with `count` entries in four tiers."""
    rng = Random(seed)
    secret = f"{rng.getrandbits(256):064x}"
    source, value = "drand quicknet round 12345678", f"{rng.getrandbits(256):064x}"
    entries = [(number, rng.randrange(4)) for number in range(1, count + 1)]
    seed_bytes = lottery.combined_seed(secret, source, value)
    rows = lottery.keyed(seed_bytes, entries)
    data = {
        "algorithm": lottery.ALGORITHM,
        "tickets": 50,
        "commitment": lottery.commit(secret),
        "secret": secret,
        "randomness_source": source,
        "randomness_value": value,
        "seed": seed_bytes.hex(),
        "entries": sorted(
            ({"number": n, "tier": t, "key": k} for t, k, n in rows), key=lambda e: e["number"]
        ),
        "ordering": [n for _t, _k, n in rows],
    }
    return data, entries


def time_draw(data, entries, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        seed = lottery.combined_seed(
            data["secret"], data["randomness_source"], data["randomness_value"]
        )
        ordering = lottery.order(seed, entries)
        times.append(time.perf_counter() - started)
        assert ordering == data["ordering"]
    return times


def time_script(data, repeat):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "draw.json"
        path.write_text(json.dumps(data))
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-I", "-S", str(SCRIPT), str(path)], capture_output=True, text=True
            )
            times.append(time.perf_counter() - started)
            if result.returncode != 0 or not result.stdout.rstrip().endswith("verified"):
                raise SystemExit(f"verify_draw.py failed:\n{result.stdout}{result.stderr}")
        return times, path.stat().st_size


def time_service(count):
    """tickets.run_draw over `count` entries on the bench's own database."""
    import datetime as dt

    from _setup import django_setup

    django_setup(f"sqlite:///{Path(tempfile.mkdtemp()) / 'draw.sqlite3'}")
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from bpd.communities import tickets
    from bpd.communities.models import Community, Draw, SponsorshipRequest, TicketEntry
    from bpd.members.models import City, User
    from bpd.members.roles import Role

    now = timezone.now()
    city = City.objects.create(
        geonameid=1, name="Accra", ascii_name="accra", country="GH", latitude=5.6,
        longitude=-0.2, timezone="Africa/Accra",
    )  # fmt: skip
    community = Community.objects.create(
        name="Bench", slug="bench", city=city, country="GH", description="Bench.",
        status=Community.Status.ACTIVE,
    )  # fmt: skip
    start = timezone.localdate() + dt.timedelta(days=30)
    request = SponsorshipRequest.objects.create(
        community=community, title="Bench", starts_on=start, ends_on=start, city=city,
        country="GH", expected_attendance=1, ticket_price=1, ticket_currency="USD",
        tickets_requested=50, tickets_approved=50, amount=1, organiser_name="B",
        organiser_contact="b@example.org", report_plan="-", status=SponsorshipRequest.Status.PAID,
    )  # fmt: skip
    secret = lottery.new_secret()
    draw = Draw.objects.create(
        request=request, tickets=50, opens_at=now - dt.timedelta(days=9),
        closes_at=now - dt.timedelta(days=1), secret=secret, commitment=lottery.commit(secret),
        randomness_source="bench", published_at=now - dt.timedelta(days=10),
    )  # fmt: skip
    users = User.objects.bulk_create(User(email=f"bench{i}@example.org") for i in range(count))
    TicketEntry.objects.bulk_create(
        (TicketEntry(draw=draw, number=i + 1, user=u, tier=i % 4) for i, u in enumerate(users)),
        batch_size=2000,
    )
    executor = User.objects.create(email="bench-executor@example.org", is_staff=True)
    executor.groups.add(Group.objects.get_or_create(name=Role.EXECUTOR)[0])
    started = time.perf_counter()
    with transaction.atomic():
        # The emails are queued by on_commit callbacks; rolling back measures the draw alone.
        result = tickets.run_draw(draw=draw, by=executor, randomness_value="bench")
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    assert result.entries == count
    return elapsed


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--service", type=int, default=20_000, help="entries; 0 to skip")
    args = parser.parse_args()

    built = time.perf_counter()
    data, entries = published(args.entries)
    built = time.perf_counter() - built
    draw = time_draw(data, entries, args.repeat)
    script, size = time_script(data, max(1, min(args.repeat, 3)))
    print(
        f"\n{args.entries:,} entries in four tiers, 50 tickets; draw.json {size / 2**20:.1f} MiB "
        f"(built in {built:.1f} s)\n"
    )
    print("| operation | best (s) | median (s) | target (s) | best / target |")
    print("|---|---:|---:|---:|---:|")
    for name, times, target in (
        ("the draw (seed, keys, order)", draw, 1.0),
        ("verify_draw.py draw.json (a new process)", script, 5.0),
    ):
        best, median = min(times), statistics.median(times)
        print(f"| {name} | {best:.3f} | {median:.3f} | {target:.0f} | {best / target:.0%} |")
    if args.service:
        elapsed = time_service(args.service)
        print(
            f"| tickets.run_draw, {args.service:,} entries on SQLite (stores keys and ranks) "
            f"| {elapsed:.3f} | | | |"
        )


if __name__ == "__main__":
    main()
