#!/usr/bin/env python3
"""Insights: computing every figure, counting one region again, the public page and the
map's size.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_insights \\
        .venv/bin/python bench/insights.py [--members 1000000] [--entries 100000]
                                           [--repeat 3] [--duration 10] [--skip-load]

Builds its own database (bench/out/insights.sqlite3, or BENCH_DATABASE_URL; PostgreSQL is
what the targets are for) with `--members` synthetic members (bench/synthetic.py: twenty
countries, joins over three years, two in three signed in within the last year) and
`--entries` ledger entries (bench/ledger.py), kept between runs. Then measures:
- the daily job (`services.refresh`): target < 30 s at 1,000,000 members and 100,000
  entries; best and median of `--repeat`;
- counting one region again (`services.refresh_region`) for each UN M49 region: target
  < 300 ms; best of `--repeat`;
- the map SVG gzipped (target ≤ 60 KB) and the public page's HTML + CSS gzipped
  (target ≤ 14 KB);
- unless --skip-load, /insights/ served by gunicorn with production settings under wrk,
  as a ratio of /healthz in the same run (target ≥ 70%), as bench/load.py does.
"""

import argparse
import gzip
import os
import shutil
import statistics
import time

from _setup import OUT, django_setup


def build(members, entries):
    import ledger
    import synthetic
    from django.db import connection

    from bpd.ledger.models import Entry

    started = time.perf_counter()
    added = synthetic.fill_members(members)
    if added:
        # Two in three signed in within the last year: the "active" members.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE members_user SET last_login = date_joined WHERE id % 3 <> 0"
                if connection.vendor != "sqlite"
                else "UPDATE members_user SET last_login = date_joined WHERE id % 3 != 0"
            )
    if not Entry.objects.exists():
        ledger.build(entries)
    if added and connection.vendor == "postgresql":
        # What autovacuum does after a bulk load in production: statistics for the
        # planner and the visibility map an index-only scan needs.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE members_profile")
            cursor.execute("VACUUM ANALYZE members_user")
    return added, time.perf_counter() - started


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8768)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{OUT / 'insights.sqlite3'}"
    import load

    shutil.rmtree(OUT / "var" / "cache", ignore_errors=True)
    os.environ["DJANGO_SECRET_KEY"] = load.SECRET
    django_setup(database_url)
    import synthetic
    from django.db import connection
    from django.test import Client

    from bpd.insights import services, tables
    from bpd.members.models import Profile

    if not Profile.objects.exists():
        synthetic.load_site()
    added, built = build(args.members, args.entries)
    counted = Profile.objects.count()
    print(f"{counted:,} members ({added:,} added in {built:.0f} s), database: {connection.vendor}")

    best, median = timed(services.refresh, args.repeat)
    print(f"daily job (every figure):        best {best:6.2f} s   median {median:6.2f} s   "
          f"target < 30 s")  # fmt: skip
    for region in tables.REGIONS:
        best, _median = timed(lambda region=region: services.refresh_region(region), args.repeat)
        print(f"count region {region} again:         best {best * 1000:6.0f} ms  target < 300 ms")
    services.refresh()

    client = Client()
    svg = client.get("/insights/map/members.svg").content
    page = client.get("/insights/").content
    from django.contrib.staticfiles import finders

    with open(finders.find("website/site.css"), "rb") as handle:
        css = handle.read()
    print(f"map SVG: {len(svg):,} bytes, {len(gzip.compress(svg, 9)):,} gzip (target ≤ 61,440)")
    page_size = len(gzip.compress(page)) + len(gzip.compress(css))
    print(f"/insights/ HTML + CSS: {page_size:,} bytes gzip (target ≤ 14,336)")

    if not args.skip_load:
        rows = load.against_baseline(
            database_url,
            [("Baseline (/healthz)", "/healthz"), ("Insights", "/insights/"),
             ("Insights (French)", "/fr/insights/"), ("Map SVG", "/insights/map/members.svg")],
            duration=args.duration, connections=args.connections, port=args.port,
        )  # fmt: skip
        print(load.ratio_table(rows))


if __name__ == "__main__":
    main()
