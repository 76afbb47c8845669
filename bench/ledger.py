#!/usr/bin/env python3
"""The treasurer's ledger pages at 50,000 entries: queries and time.

    .venv/bin/python bench/ledger.py [--entries 50000] [--repeat 5]

Builds its own database (bench/out/ledger.sqlite3, or BENCH_DATABASE_URL) with a Fund
round's pool and two years of sponsorship pools holding `--entries` entries of every kind,
currency and region (bulk inserts, deterministic), then opens as the treasurer, through
Django's test client in process: the ledger (first page, a filtered page, a late page),
the totals, and the CSV export. For each: the SQL queries with the site's layout read
from the cache as in production (target for the ledger: ≤ 8 at 50,000 entries) and the
best and median time of `--repeat` runs. (That the count does not grow with the entries,
every cache missing, is tests/ledger/test_pages.py's.)
"""

import argparse
import datetime as dt
import os
import random
import statistics
import time

from _setup import OUT, django_setup


def build(count, seed=14):
    from decimal import Decimal

    from bpd.ledger import money
    from bpd.ledger.models import Entry, Pool
    from bpd.members import regions
    from bpd.members.models import User
    from bpd.members.roles import Role

    rng = random.Random(seed)
    pools = [
        Pool.objects.create(programme="fund", key="fund.round:bench", name="Bench round",
                            year=2026, currency="USD", budget=10**12),
        Pool.objects.create(programme="sponsorship", key="sponsorship:2026",
                            name="Local community sponsorship 2026", year=2026, currency="USD",
                            budget=10**12),
        Pool.objects.create(programme="sponsorship", key="sponsorship:2027",
                            name="Local community sponsorship 2027", year=2027, currency="EUR",
                            budget=10**12),
    ]  # fmt: skip
    countries = ["NG", "GH", "KE", "ZA", "BR", "JM", "GB", "US", "IN", "AU", ""]
    rates = {"USD": Decimal(1), "EUR": Decimal("1.08"), "GHS": Decimal("0.0857"),
             "NGN": Decimal("0.00066")}  # fmt: skip
    kinds = ["commitment", "release", "payment", "payment", "refund", "loss"]
    entries = []
    for n in range(count):
        pool = pools[n % len(pools)]
        currency = rng.choice(list(rates))
        if currency == pool.currency:
            rate = Decimal(1)
        else:
            rate = (rates[currency] / rates[pool.currency]).quantize(Decimal("0.00000001"))
        amount = rng.randint(1_000, 500_000)
        country = rng.choice(countries)
        entries.append(
            Entry(
                pool=pool, programme=pool.programme, kind=rng.choice(kinds),
                purpose=f"Bench entry {n}", vendor=f"Vendor {n % 97}", reference=f"R-{n}",
                amount=amount, currency=currency, rate=rate,
                amount_in_pool_currency=money.convert(amount, currency, rate, pool.currency),
                country=country, region=regions.region_code(country, "region") if country else "",
                source=f"bench:{n // 3}",
                occurred_on=dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 700)),
            )
        )  # fmt: skip
    Entry.objects.bulk_create(entries, batch_size=5000)
    treasurer, _ = User.objects.get_or_create(email="bench-treasurer@example.com")
    from django.contrib.auth.models import Group

    treasurer.groups.add(Group.objects.get_or_create(name=Role.TREASURER)[0])
    return treasurer


def measure(client, url, repeat):
    """(queries with the layout cached, best ms, median ms, bytes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return body

    get()  # fills the cache, as any earlier page view would
    connection.queries_log.clear()  # a full log (the migrations) would count nothing
    with CaptureQueriesContext(connection) as cached:
        body = get()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        get()
        times.append((time.perf_counter() - began) * 1000)
    return len(cached), min(times), statistics.median(times), len(body)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    database = OUT / "ledger.sqlite3"
    if not os.environ.get("BENCH_DATABASE_URL"):
        database.unlink(missing_ok=True)  # a fresh, disposable database every run
    django_setup(os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{database}")
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    started = time.perf_counter()
    treasurer = build(args.entries)
    built = time.perf_counter() - started
    client = Client()
    client.force_login(treasurer)
    pages = [
        ("the ledger, first page", "/money/entries/", True),
        ("the ledger, filtered (2027, payments, Africa)",
         "/money/entries/?year=2027&kind=payment&region=002", True),
        ("the ledger, page 500", "/money/entries/?page=500", True),
        ("the totals (per pool, year, programme, region)", "/money/", False),
        ("the ledger as CSV, every entry", "/money/entries.csv", False),
    ]  # fmt: skip
    print(f"\n{args.entries:,} ledger entries in 3 pools (built in {built:.1f} s), as the "
          f"treasurer; the layout read from the cache as in production\n")  # fmt: skip
    print("| page | queries | best ms | median ms | KB | target | met |")
    print("|---|---:|---:|---:|---:|---|---|")
    for name, url, target in pages:
        queries, best, median, size = measure(client, url, args.repeat)
        goal, met = ("≤ 8 queries", queries <= 8) if target else ("", True)
        print(f"| {name} | {queries} | {best:.0f} | {median:.0f} | {size // 1024} | {goal} | "
              f"{'yes' if met else 'NO'} |")  # fmt: skip


if __name__ == "__main__":
    main()
