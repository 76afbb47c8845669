#!/usr/bin/env python3
"""Local communities: throughput of the public community directory and the page of
completed sponsorships, as a ratio of /healthz measured in the same run.

    .venv/bin/python bench/communities.py [--communities 200] [--sponsorships 600]
                                          [--duration 10] [--connections 16]

Builds its own database (bench/out/communities.sqlite3, or BENCH_DATABASE_URL): the
site's content, `--communities` active communities with a leader each, and
`--sponsorships` completed sponsorships spread over three years. Then serves the site
with gunicorn and production settings and loads each page with wrk as an anonymous
reader (as bench/load.py does). Target: each page >= 70% of the baseline.
"""

import argparse
import datetime as dt
import os
import random
import shutil

from _setup import OUT, django_setup


def build(communities, sponsorships, seed=7):
    """Returns the year with the most completed sponsorships."""
    from django.db import transaction

    from bpd.communities.models import Community, Leadership, SponsorshipRequest
    from bpd.members.models import City, User

    rng = random.Random(seed)
    cities = list(
        City.objects.filter(country__in=["NG", "GH", "KE", "ZA", "JM", "BR", "US", "UG"]).order_by(
            "-population"
        )[: communities * 2]
    )
    today = dt.date.today()
    with transaction.atomic():
        leaders = User.objects.bulk_create(
            User(email=f"leader{i}@bench.test") for i in range(communities)
        )
        rows = Community.objects.bulk_create(
            Community(
                name=f"Bench community {i}",
                slug=f"bench-community-{i}",
                city=cities[i % len(cities)],
                country=cities[i % len(cities)].country,
                description="A community made by the benchmark.",
                status=Community.Status.ACTIVE,
            )
            for i in range(communities)
        )
        Leadership.objects.bulk_create(
            Leadership(community=c, user=u) for c, u in zip(rows, leaders, strict=True)
        )
        requests = []
        for i in range(sponsorships):
            community = rows[i % len(rows)]
            starts = today - dt.timedelta(days=rng.randint(20, 3 * 365))
            tickets = rng.randint(5, 40)
            requests.append(
                SponsorshipRequest(
                    community=community,
                    title=f"Bench conference {i}",
                    starts_on=starts,
                    ends_on=starts + dt.timedelta(days=rng.randint(0, 2)),
                    city=community.city,
                    country=community.country,
                    expected_attendance=tickets * 8,
                    ticket_price=rng.randint(10, 80) * 100,
                    ticket_currency="USD",
                    tickets_requested=tickets,
                    amount=tickets * 2500,
                    amount_approved=tickets * 2500,
                    tickets_approved=tickets,
                    tickets_used=tickets - rng.randint(0, 3),
                    organiser_name="Organiser Ltd",
                    organiser_contact="invoices@bench.test",
                    report_plan="Attendance and photos.",
                    status=SponsorshipRequest.Status.COMPLETED,
                    paid_at=starts - dt.timedelta(days=30),
                )
            )
        SponsorshipRequest.objects.bulk_create(requests, batch_size=2000)
    years = [r.starts_on.year for r in requests]
    return max(set(years), key=years.count)


def throughput(database_url, year, *, duration, connections, port):
    import load

    pages = [
        ("Baseline (/healthz)", "/healthz"),
        ("Community directory", "/communities/"),
        ("Completed sponsorships", "/communities/sponsored/"),
        (f"Completed sponsorships, {year}", f"/communities/sponsored/?year={year}"),
    ]
    return load.against_baseline(
        database_url, pages, duration=duration, connections=connections, port=port
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--communities", type=int, default=200)
    parser.add_argument("--sponsorships", type=int, default=600)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()
    database = OUT / "communities.sqlite3"
    if not os.environ.get("BENCH_DATABASE_URL"):
        database.unlink(missing_ok=True)
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{database}"
    import load

    shutil.rmtree(OUT / "var" / "cache", ignore_errors=True)
    os.environ["DJANGO_SECRET_KEY"] = load.SECRET
    django_setup(database_url)
    import synthetic

    synthetic.load_site()
    year = build(args.communities, args.sponsorships)
    rows = throughput(
        database_url, year, duration=args.duration, connections=args.connections, port=args.port
    )
    print(f"{args.communities} communities, {args.sponsorships} completed sponsorships; "
          f"{os.cpu_count()} gunicorn workers, {args.connections} connections, "
          f"{args.duration} s per page, anonymous reader\n")  # fmt: skip
    print(load.ratio_table(rows))


if __name__ == "__main__":
    main()
