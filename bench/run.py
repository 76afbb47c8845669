#!/usr/bin/env python3
"""Run every benchmark and print one Markdown report (also saved to bench/out/report.md).

    .venv/bin/python bench/run.py            # the full run (a few minutes)
    .venv/bin/python bench/run.py --smoke    # small data, short loads: proves it all still works

Pieces, each also runnable alone: data.py (synthetic data), pages.py (page weight,
queries at two sizes), load.py (HTTP throughput, latency and memory under
gunicorn + wrk), fund.py (allocation and committee view at 5,000 applications),
events.py (the events and conference pages under load, the personal feed's queries,
expanding a series), ledger.py (the treasurer's ledger pages at 50,000 entries), draw.py
(the sponsored-ticket draw and its verification script over 100,000 entries),
communities.py (the community directory and the completed-sponsorships page under load),
partners.py (claims from a pool of 100,000 codes, 50 concurrent claims for 20 seats on
PostgreSQL, the public Partners page under load), insights.py (the daily job, counting one
region again, the map's size and the public insights page under load).
"""

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def run(script, *args):
    command = [sys.executable, str(HERE / script), *args]
    print(f"\n$ {' '.join(command[1:])}", file=sys.stderr, flush=True)
    result = subprocess.run(command, cwd=HERE, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{script} failed")
    return result.stdout.strip()


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="small data and 1-second loads (CI)")
    args = parser.parse_args()
    if args.smoke:
        pages = run("pages.py", "--small", "5", "--large", "50")
        load = run("load.py", "--duration", "1", "--warmup", "1", "--members", "200")
        fund = run("fund.py", "--applications", "300", "--repeat", "1")
        events = run("events.py", "--duration", "1")
        ledger = run("ledger.py", "--entries", "2000", "--repeat", "1")
        draw = run("draw.py", "--entries", "10000", "--repeat", "1", "--service", "1000")
        communities = run("communities.py", "--duration", "1", "--communities", "20",
                          "--sponsorships", "40")  # fmt: skip
        partners = run("partners.py", "--codes", "2000", "--samples", "5", "--duration", "1")
        insights = run("insights.py", "--members", "2000", "--entries", "2000", "--repeat", "1",
                       "--duration", "1")  # fmt: skip
    else:
        pages = run("pages.py", "--small", "10", "--large", "10000")
        load = run("load.py", "--duration", "10", "--members", "20000")
        fund = run("fund.py", "--applications", "5000", "--repeat", "5")
        events = run("events.py", "--duration", "10")
        ledger = run("ledger.py", "--entries", "50000", "--repeat", "5")
        draw = run("draw.py", "--entries", "100000", "--repeat", "5", "--service", "100000")
        communities = run("communities.py", "--duration", "10")
        partners = run("partners.py", "--codes", "100000", "--duration", "10")
        insights = run("insights.py", "--members", "200000", "--duration", "10")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    report = "\n\n".join(
        [
            f"# Benchmarks, {dt.date.today().isoformat()}",
            f"Machine: {os.cpu_count()} cores, {memory:.0f} GiB, {platform.platform()}, Python {platform.python_version()}."
            + (
                " **Smoke run: small data, short loads; not for comparison.**" if args.smoke else ""
            ),
            "## HTTP (gunicorn, production settings, wrk on the same machine)",
            load,
            pages,
            "## The Fund",
            fund,
            "## Events and the conference list",
            events,
            "## Money: the treasurer's ledger",
            ledger,
            "## Sponsored tickets: the draw",
            draw,
            "## Local communities: public pages under load",
            communities,
            "## Partners: claims and the public page",
            partners,
            "## Insights: the daily job, one region, the public page",
            insights,
        ]
    )
    OUT.mkdir(exist_ok=True)
    (OUT / "report.md").write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()
