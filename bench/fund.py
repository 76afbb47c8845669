#!/usr/bin/env python3
"""Times the Fund's allocation and committee view for 5,000 applications.

    .venv/bin/python bench/fund.py [--applications 5000] [--repeat 5]

Builds a round with that many submitted, reviewed applications (bulk inserts,
deterministic), then reports the best of `--repeat` runs of: the allocation
proposal alone, the committee rows (queries + ranking), and the whole committee
page as a reviewer sees it. Prints a Markdown table.
"""

import argparse
import os
import random
import statistics
import time

from _setup import django_setup


def build(count, seed=11):
    import datetime as dt

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from bpd.conferences.models import Conference as Event
    from bpd.fund.models import Application, CostItem, Criterion, Review, Round
    from bpd.members.models import User
    from bpd.members.roles import Role

    rng = random.Random(seed)
    now = timezone.now()
    event = Event.objects.create(name="Bench Conf", url="https://bench.example", city="Berlin", country="DE",
                                 starts_on=(now + dt.timedelta(days=120)).date(), ends_on=(now + dt.timedelta(days=123)).date())  # fmt: skip
    round = Round.objects.create(name="Bench", slug="bench", opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=9),
                                 decision_date=(now + dt.timedelta(days=20)).date(), budget=count * 40_000, currency="USD",
                                 covered=["flight", "visa", "hotel"])  # fmt: skip
    criteria = [Criterion.objects.create(round=round, name=f"C{i}", weight=i + 1) for i in range(3)]
    reviewers = User.objects.bulk_create(
        [User(email=f"bench-reviewer{i}@example.com") for i in range(3)]
    )
    round.reviewers.set(reviewers)
    # Reviewers hold the role too: listed on a round without it, they see nothing.
    reviewer_group = Group.objects.get_or_create(name=Role.REVIEWER)[0]
    reviewer_group.user_set.add(*reviewers)
    applicants = User.objects.bulk_create(
        [User(email=f"bench-{i}@example.com") for i in range(count)], batch_size=2000
    )
    countries = ["NG", "KE", "GH", "ZA", "UG", "US", "BR", "JM", "CM", "ET"]
    applications = Application.objects.bulk_create(
        [
            Application(round=round, applicant=user, event=event, origin_country=rng.choice(countries), passport_country="NG",
                        purpose="x", give_back="y", currency="USD", status="submitted", submitted_at=now,
                        requested_total=rng.randint(50_000, 400_000), verdict=rng.choice(["feasible", "at_risk", "not_feasible"]))
            for user in applicants
        ],
        batch_size=2000,
    )  # fmt: skip
    CostItem.objects.bulk_create(
        [
            CostItem(application=a, category="flight", amount=a.requested_total, currency="USD")
            for a in applications
        ],
        batch_size=2000,
    )
    Review.objects.bulk_create(
        [Review(application=a, reviewer=r, weighted_score=rng.uniform(1, 5), submitted_at=now) for a in applications for r in reviewers],
        batch_size=2000,
    )  # fmt: skip
    return round, reviewers[0], criteria


def best(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from _setup import OUT

    database = OUT / "fund.sqlite3"
    database.unlink(missing_ok=True)  # a fresh, disposable database every run
    django_setup(os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{database}")
    from django.conf import settings
    from django.test import Client

    from bpd.fund import allocation, selectors

    settings.ALLOWED_HOSTS = ["*"]
    started = time.perf_counter()
    round, reviewer, _criteria = build(args.applications)
    built = time.perf_counter() - started

    def committee_rows():
        return selectors.committee_rows(selectors.committee_queryset(round, reviewer))

    rows = committee_rows()
    candidates = [
        allocation.Candidate(
            r["application"].pk,
            r["application"].requested_total,
            r["score"],
            r["application"].origin_country,
        )
        for r in rows
    ]
    proposal = allocation.propose(candidates, round.budget // 2, max_per_country=600)
    client = Client()
    client.force_login(reviewer)
    page = client.get(f"/fund/{round.slug}/committee/")
    assert page.status_code == 200, f"the committee page answered {page.status_code}"
    results = [
        (
            "allocation proposal (knapsack)",
            best(lambda: allocation.propose(candidates, round.budget // 2), args.repeat),
        ),
        (
            "allocation with country caps",
            best(
                lambda: allocation.propose(candidates, round.budget // 2, max_per_country=600),
                args.repeat,
            ),
        ),
        (
            "committee rows (queries + ranking)",
            best(committee_rows, args.repeat),
        ),
        (
            "committee page (HTML, as a reviewer)",
            best(lambda: client.get(f"/fund/{round.slug}/committee/"), max(1, args.repeat // 2)),
        ),
    ]
    print(f"\n{args.applications} applications, {len(rows) * 3} reviews (built in {built:.1f} s); "
          f"proposal funds {len(proposal.chosen)}, gap ≤ {proposal.gap:.4%}\n")  # fmt: skip
    print("| operation | best (ms) | median (ms) |")
    print("|---|---:|---:|")
    for name, (low, median) in results:
        print(f"| {name} | {low * 1000:.0f} | {median * 1000:.0f} |")


if __name__ == "__main__":
    main()
