#!/usr/bin/env python3
"""EXPLAIN ANALYZE of the queries that must stay fast at scale (PostgreSQL).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpd_bench .venv/bin/python bench/data.py --members 1000000
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpd_bench .venv/bin/python bench/explain.py

Shows the plan and timing of: the members' directory first page (as a member), the
directory filtered by country, and the members-per-country count insights will use.
"""

from _setup import django_setup


def explain(title, queryset, *, count=False):
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    if count:  # what the pager runs: the number of rows the page is drawn from
        sql = f"SELECT COUNT(*) FROM ({sql}) AS page_source"
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(f"### {title}\n\n```\n{plan}\n```\n")


def main():
    django_setup()
    from django.db import connection
    from django.db.models import Count

    from bpd.members import selectors
    from bpd.members.models import Profile
    from bpd.members.visibility import reach

    if connection.vendor != "postgresql":
        raise SystemExit("Set BENCH_DATABASE_URL to a PostgreSQL database.")
    import synthetic

    viewer = reach(synthetic.user("viewer"))  # the directory is read for an audience
    print(f"{Profile.objects.count()} profiles\n")
    explain("Directory, first page (member)", selectors.directory(viewer)[:24])
    explain("Directory, country = KE (member)", selectors.directory(viewer, country="KE")[:24])
    explain(
        "Directory, the pager's count (member)",
        selectors.directory(viewer).order_by().values("pk"),
        count=True,
    )
    explain(
        "Members per country",
        Profile.objects.listed()
        .values("country")
        .annotate(members=Count("id"))
        .order_by("-members"),
    )


if __name__ == "__main__":
    main()
