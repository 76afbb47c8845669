#!/usr/bin/env python3
"""One entry point for people and CI: set up, then serve the site or run the tests.

    python3 dev.py start   # install, migrate SQLite, load content and demo data, then serve
                           # :8000 and run the task worker (emails, scheduled jobs) beside it
    python3 dev.py test    # install, then run the whole test suite (extra args go to pytest)
    python3 dev.py guards  # remove each access guard in turn; a test must fail each time
    python3 dev.py screenshots [--out DIR] [--width 360 --width 1280] [--only SUBSTRING]
                           # every page each demo role can reach, as PNGs with an index.html

It needs only Python 3.11+ and pip. It makes a virtual environment in .venv
(with the standard venv module, or virtualenv when Debian's python3-venv is
missing) and installs requirements/lock.txt into it, once per change of the lock.
"""

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements" / "lock.txt"
PYTHON = VENV / "bin" / "python"


def run(*args, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)


def ensure_venv():
    if PYTHON.exists():
        return
    try:
        run(sys.executable, "-m", "venv", VENV)
    except subprocess.CalledProcessError:
        # Debian ships venv without ensurepip unless python3-venv is installed.
        run(sys.executable, "-m", "pip", "install", "--user", "--quiet", "virtualenv")
        run(sys.executable, "-m", "virtualenv", VENV)


def ensure_requirements():
    stamp = VENV / ".lock-sha256"
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", LOCK)
    stamp.write_text(digest)


def manage(*args):
    run(PYTHON, "manage.py", *args)


SITE = "http://127.0.0.1:8000"
# bpd/members/demo.py: one account per role; the executor is staff.
DEMO_ROLES = ("member", "leader", "reviewer", "treasurer", "executor", "partner")
DEMO_STAFF = "demo-executor@demo.blackpythondevs.test"


def start_message():
    """What `start` prints before serving: how to sign in. There are no passwords."""
    return (
        f"\nServing on {SITE}\n"
        f"  Sign in as any demo account ({', '.join(DEMO_ROLES)}) at {SITE}/dev/sign-in-as/\n"
        f"  Staff: the executor, {DEMO_STAFF}, opens {SITE}/admin/\n"
        "  (signed in there, or with a code emailed to that address).\n"
        "  No account has a password: the task worker prints every email below, with each\n"
        "  sign-in code framed by lines of '='.\n"
    )


def start():
    manage("migrate", "--no-input")
    manage("load_site", "--demo")
    print(start_message(), flush=True)
    # The worker sends queued emails and runs scheduled jobs; both processes share the
    # database, the cache and the queue in var/. Ctrl-C (or SIGTERM) stops both.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    children = [
        subprocess.Popen(
            [str(PYTHON), "manage.py", "run_huey", "--simple", "--quiet"],
            cwd=ROOT,
            start_new_session=True,
        ),
        subprocess.Popen(
            [str(PYTHON), "manage.py", "runserver", "127.0.0.1:8000"],
            cwd=ROOT,
            start_new_session=True,  # its own group: the reloader's child stops with it
        ),
    ]
    try:
        while all(child.poll() is None for child in children):
            with contextlib.suppress(subprocess.TimeoutExpired):
                children[1].wait(timeout=1)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            stop(child)


def stop(child):
    """SIGINT to the child's whole process group (huey finishes its task), then SIGKILL."""
    try:
        os.killpg(child.pid, signal.SIGINT)
        child.wait(timeout=15)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)


def test(extra):
    os.chdir(ROOT)
    os.execv(PYTHON, [str(PYTHON), "-m", "pytest", *extra])


def guards(extra):
    os.chdir(ROOT)
    os.execv(PYTHON, [str(PYTHON), "tests/guard_mutations.py", *extra])


def screenshots(extra):
    os.chdir(ROOT)
    os.execv(PYTHON, [str(PYTHON), "-m", "tests.browser.every_page", *extra])


def main(argv):
    if len(argv) < 2 or argv[1] not in {"start", "test", "guards", "screenshots"}:
        print(__doc__)
        return 2
    ensure_venv()
    ensure_requirements()
    if argv[1] == "start":
        start()
    elif argv[1] == "guards":
        guards(argv[2:])
    elif argv[1] == "screenshots":
        screenshots(argv[2:])
    else:
        test(argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
