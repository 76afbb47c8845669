#!/usr/bin/env python3
"""HTTP throughput and latency, the way production runs: gunicorn, production settings,
DEBUG off, one worker per core, on 127.0.0.1; load from wrk.

    .venv/bin/python bench/load.py [--duration 10] [--connections 16] [--members 5000]
                                   [--redis redis://127.0.0.1:6379/13]

The workers share their cache and sessions as production does: through files on
this machine (BPD_SINGLE_MACHINE=1, the default here) or through Redis (--redis;
that database is flushed first).

Each page's requests/s is printed as a ratio of a trivial endpoint of the same
stack (/healthz) measured in the same run, so the figure holds on a noisy
machine. Also prints the peak memory (RSS) of the workers after the load.
Every load is bounded in time; the server is stopped at the end.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from _setup import OUT, ROOT, django_setup

PYTHON = Path(sys.executable)
PUBLIC = [
    ("Home", "/"),
    ("About", "/about/"),
    ("Initiatives", "/initiatives/"),
    ("About (Hausa)", "/ha/about/"),
    ("Home (Hausa)", "/ha/"),
    ("News post", "/news/welcome-to-the-new-site/"),
    ("News post (Hausa)", "/ha/news/welcome-to-the-new-site/"),
    ("News index", "/news/"),
]


SECRET = secrets.token_urlsafe(50)


def find_wrk():
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})  # fmt: skip
        wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("wrk is needed: apt-get install wrk")
    return wrk


def prepare(database_url, members):
    shutil.rmtree(OUT / "var" / "cache", ignore_errors=True)  # the last run's shared cache
    os.environ["DJANGO_SECRET_KEY"] = SECRET  # sessions made here must be valid for the server
    django_setup(database_url)
    import synthetic
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    synthetic.load_site()
    synthetic.fill(members=members, posts=200, applications=min(members, 2000))
    cookies = {}
    for handle in ("viewer", "reviewer"):
        user = synthetic.user(handle)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        cookies[handle] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    return cookies


REDIS_URL = None


def production_env(database_url):
    shared = {"REDIS_URL": REDIS_URL} if REDIS_URL else {"BPD_SINGLE_MACHINE": "1"}
    return {
        **os.environ,
        **shared,
        "BPD_ENV": "production",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "BPD_MEDIA_ROOT": str(OUT / "media"),
        "BPD_LOG_LEVEL": "WARNING",
    }


def start_server(database_url, port, workers):
    env = production_env(database_url)
    # Production serves fingerprinted, compressed static files from STATIC_ROOT.
    subprocess.run(
        [str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [str(PYTHON.parent / "gunicorn"), "config.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "--timeout", "30"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    sys.exit("gunicorn did not start")


def stop(server):
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


def workers_of(server):
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def peak_rss_mb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


def load(wrk, url, *, duration, connections, cookie=None, threads=2):
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "5s",
        url,
    ]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return (
        rps,
        _ms(latency.get("50")),
        _ms(latency.get("99")),
        int(errors.group(1)) if errors else 0,
    )


def against_baseline(database_url, pages, *, duration, connections, port):
    """Serve the site with gunicorn and load each (name, path) of `pages` with wrk, the
    first being the baseline; returns [(name, req/s, p50, p99, errors)]."""
    wrk = find_wrk()
    server = start_server(database_url, port, os.cpu_count() or 1)
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        for name, path in pages:
            load(wrk, base + path, duration=2, connections=connections)
            rows.append((name, *load(wrk, base + path, duration=duration, connections=connections)))
    finally:
        stop(server)
    return rows


def ratio_table(rows, target=0.7):
    """Markdown rows of `against_baseline`'s result, each page as a ratio of the first."""
    baseline = rows[0][1]
    lines = [
        "| page | req/s | of baseline | p50 ms | p99 ms | errors | target | met |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for index, (name, rps, p50, p99, errors) in enumerate(rows):
        ratio = rps / baseline if baseline else 0
        wanted, met = ("ceiling", True) if index == 0 else (f"≥ {target:.0%}", ratio >= target)
        lines.append(
            f"| {name} | {rps:.0f} | {ratio:.0%} | {p50:.1f} | {p99:.1f} | {errors} | {wanted} "
            f"| {'yes' if met and not errors else 'NO'} |"
        )
    return "\n".join(lines)


def _ms(text):
    if not text:
        return float("nan")
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--redis", help="share cache and sessions through this Redis database")
    args = parser.parse_args()
    if args.redis:
        global REDIS_URL
        REDIS_URL = os.environ["REDIS_URL"] = args.redis
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    wrk = find_wrk()
    database = OUT / "http.sqlite3"
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{database}"
    cookies = prepare(database_url, args.members)
    workers = os.cpu_count() or 1
    server = start_server(database_url, args.port, workers)
    base = f"http://127.0.0.1:{args.port}"
    pages = [("Baseline (/healthz)", "/healthz", None, "baseline")]
    pages += [(name, path, None, "public") for name, path in PUBLIC]
    pages += [
        ("Members' directory (signed in)", "/members/directory/", cookies["viewer"], "signed-in"),
        (
            "Fund committee (reviewer)",
            "/fund/bench-round/committee/",
            cookies["reviewer"],
            "signed-in",
        ),
    ]
    rows = []
    try:
        for name, path, cookie, kind in pages:
            load(
                wrk, base + path, duration=args.warmup, connections=args.connections, cookie=cookie
            )
            rows.append(
                (
                    name,
                    kind,
                    *load(
                        wrk,
                        base + path,
                        duration=args.duration,
                        connections=args.connections,
                        cookie=cookie,
                    ),
                )
            )
        memory = max((peak_rss_mb(pid) for pid in workers_of(server)), default=0.0)
    finally:
        stop(server)
    baseline = rows[0][2]
    shared = f"Redis ({REDIS_URL})" if REDIS_URL else "files on this machine (diskcache)"
    print(f"\n{workers} gunicorn workers, {args.connections} connections, {args.duration} s per page, "
          f"{args.members} members in the database; cache and sessions shared through {shared}\n")  # fmt: skip
    print("| page | req/s | of baseline | p50 ms | p99 ms | errors | target | met |")
    print("|---|---:|---:|---:|---:|---:|---|---|")
    for name, kind, rps, p50, p99, errors in rows:
        ratio = rps / baseline if baseline else 0
        if kind == "public":
            target, met = "≥ 70%, p99 ≤ 50 ms", ratio >= 0.7 and p99 <= 50
        elif kind == "signed-in":
            target, met = "≥ 30%", ratio >= 0.3
        else:
            target, met = "ceiling", True
        print(
            f"| {name} | {rps:.0f} | {ratio:.0%} | {p50:.1f} | {p99:.1f} | {errors} | {target} | {'yes' if met and not errors else 'NO'} |"
        )
    print(
        f"\nPeak memory of one worker after the load: {memory:.0f} MB (target ≤ 150 MB: {'yes' if memory <= 150 else 'NO'})"
    )


if __name__ == "__main__":
    main()
