#!/usr/bin/env python3
"""Fill a database with synthetic data at volume.

    .venv/bin/python bench/data.py [--members 100000] [--posts 2000] [--applications 5000] [--seed 1]

Uses BENCH_DATABASE_URL (default: bench/out/bench.sqlite3). Deterministic for a
seed; running again tops up to the requested numbers. Handles 1,000,000 members
on PostgreSQL (BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpd_bench).
"""

import argparse
import time

from _setup import django_setup


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=2_000)
    parser.add_argument("--applications", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    django_setup()
    import synthetic

    started = time.perf_counter()
    synthetic.load_site()
    created = synthetic.fill(
        members=args.members, posts=args.posts, applications=args.applications, seed=args.seed
    )
    print(f"created {created} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
