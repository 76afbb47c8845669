#!/usr/bin/env python3
"""Page weight and query counts of every public page, at two data sizes.

    .venv/bin/python bench/pages.py [--small 10] [--large 10000]

Weight: bytes of HTML and CSS after gzip, how many requests the page makes, and
whether any goes to another host. Queries: SQL queries per page with `--small`
rows and again with `--large` rows of members, posts and applications; a page
whose count grows with the data is flagged. Prints Markdown tables.
"""

import argparse
import gzip
import os
import re

from _setup import OUT, django_setup

BUDGET = 14 * 1024


def public_paths():
    from bpd.website import languages

    paths = [
        "",
        "about/",
        "initiatives/",
        "why-online-first/",
        "leadership/",
        "code-of-conduct/",
        "news/",
        "experts/",
    ]
    return [languages.prefixed(p, code) for code in languages.CODES for p in paths]


def subresources(html):
    found = re.findall(r'<(?:script|img|iframe|source)[^>]+src="([^"]+)"', html)
    found += re.findall(r'<link rel="(?:stylesheet|icon|preload)"[^>]+href="([^"]+)"', html)
    return found


def weigh(client, path, css):
    response = client.get(path)
    html = response.content.decode()
    resources = subresources(html)
    third_party = [r for r in resources if not r.startswith("/") or r.startswith("//")]
    size = len(gzip.compress(response.content)) + len(gzip.compress(css))
    return response.status_code, size, 1 + len(resources), third_party


def count_queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm the caches a real server keeps warm
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=10000)
    args = parser.parse_args()
    database = OUT / "pages.sqlite3"
    database.unlink(missing_ok=True)
    django_setup(os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{database}")
    import synthetic
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.core.cache import cache
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    synthetic.load_site()
    with open(finders.find("website/site.css"), "rb") as handle:
        css = handle.read()
    client = Client()
    print("## Page weight (HTML + CSS, gzip)\n")
    print(f"| page | status | bytes | budget {BUDGET} | requests | third-party |")
    print("|---|---:|---:|---|---:|---|")
    for path in public_paths():
        status, size, requests, third_party = weigh(client, path, css)
        print(
            f"| {path} | {status} | {size} | {'ok' if size <= BUDGET else 'OVER'} | {requests} | {', '.join(third_party) or 'none'} |"
        )

    signed_in = synthetic.signed_in_paths()
    pages = [(p, None) for p in public_paths()[:8]] + signed_in
    counts = {}
    for label, size in (("small", args.small), ("large", args.large)):
        synthetic.fill(members=size, posts=size, applications=size)
        cache.clear()
        for path, user in pages:
            client = Client()
            if user is not None:
                client.force_login(synthetic.user(user))
            counts.setdefault(path, {})[label] = count_queries(client, path)
    print(f"\n## SQL queries per page ({args.small} and {args.large} rows)\n")
    print(f"| page | {args.small} rows | {args.large} rows | grows with data? |")
    print("|---|---:|---:|---|")
    for path, row in counts.items():
        grows = "YES" if row["large"] > row["small"] else "no"
        print(f"| {path} | {row['small']} | {row['large']} | {grows} |")


if __name__ == "__main__":
    main()
