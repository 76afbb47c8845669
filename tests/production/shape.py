"""Start the platform the way it runs for real, on this machine, and talk to it over HTTP.

Three shapes:
- "production": PostgreSQL + a Redis of our own (redis-server on a free port, so a
  test can stop it), 2 gunicorn workers with production settings, one task worker.
- "single-machine": production settings with BPD_SINGLE_MACHINE=1: SQLite and the
  file-based shared cache, 2 gunicorn workers, one task worker.
- "embedded": what `python3 dev.py start` runs: development settings, SQLite, the
  dev server and the task worker.
Every response names the process that served it (BPD_EXPOSE_WORKER=1).
Mail goes by SMTP to a fake server in the test process that can accept, stall or fail.
"""

import asyncio
import concurrent.futures
import html.parser
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PG_ADMIN = os.environ.get("BPD_SHAPE_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout=30, interval=0.2, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def postgres_available():
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except Exception:
        return False


# The fake mail server ---------------------------------------------------------------


class FakeSMTP:
    """A local SMTP server: `mode` is "accept", "stall" (never answers DATA) or "fail"."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.mode = "accept"
        self.messages = []
        self.port = free_port()
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                if outer.mode == "stall":
                    await asyncio.sleep(120)
                if outer.mode == "fail":
                    return "451 4.3.0 Try again later"
                outer.messages.append(
                    (list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace"))
                )
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def to(self, address):
        return [body for rcpts, body in self.messages if address in rcpts]

    def stop(self):
        self.controller.stop()


# HTTP ---------------------------------------------------------------------------------


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.text = body
        self.served_by = headers.get("x-served-by", "")

    def __repr__(self):
        return f"<{self.status} from {self.served_by}>"


class FormParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get"),
                          "fields": []}  # fmt: skip
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind in {"submit", "button", "image", "file"}:
                return
            self._form["fields"].append(
                [a["name"], a.get("value", "on" if kind == "checkbox" else "")]
            )
        elif tag == "select":
            self._select = {"name": a.get("name"), "first": None, "chosen": False}
        elif tag == "option" and self._select is not None:
            if self._select["first"] is None:
                self._select["first"] = a.get("value", "")
            if "selected" in a:
                self._select["chosen"] = True
                self._form["fields"].append([self._select["name"], a.get("value", "")])
        elif tag == "textarea":
            self._textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            s = self._select
            if not s["chosen"] and s["first"] is not None and s["name"]:
                self._form["fields"].append([s["name"], s["first"]])
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self._form is not None and self._textarea[0]:
                self._form["fields"].append([self._textarea[0], self._textarea[1].lstrip("\n")])
            self._textarea = None


class Browser:
    """One person's browser: keeps cookies (ignoring Secure: the test talks plain HTTP)."""

    def __init__(self, shape, session=None, forwarded_for=None):
        self.shape = shape
        self.cookies = {}
        self.forwarded_for = forwarded_for
        if session:
            self.cookies["sessionid"] = session

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method, path, data=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.shape.port, timeout=30)
        headers = {"Host": "127.0.0.1", "Cookie": self.cookie_header()}
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header, value in raw.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                val = rest.split(";", 1)[0]
                if "expires=Thu, 01 Jan 1970" in value or "Max-Age=0" in value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = val
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, text)

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data):
        if "csrftoken" not in self.cookies:
            self.get(path)
        return self.request(
            "POST", path, {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        )

    def submit(self, path, changes=None, *, having=None, button=None):
        """Fill the form on `path` that has the field `having` (or the first POST form)."""
        page = self.get(path)
        parser = FormParser()
        parser.feed(page.text)
        forms = [f for f in parser.forms if f["method"].lower() == "post"]
        if having:
            forms = [f for f in forms if any(name == having for name, _ in f["fields"])]
        assert forms, f"no form on {path} ({page.status})"
        form = forms[0]
        fields = [pair for pair in form["fields"] if pair[0] not in (changes or {})]
        for name, value in (changes or {}).items():
            for item in value if isinstance(value, list) else [value]:
                fields.append([name, item])
        if button:
            fields.append(button)
        action = form["action"] or path
        data = {}
        for name, value in fields:
            data.setdefault(name, []).append(value)
        return self.request("POST", action, data)

    def many(self, path, n=20):
        """`n` GETs, 4 at a time, so that every worker serves some of them."""
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            return list(pool.map(lambda _: self.get(path), range(n)))


# The shape --------------------------------------------------------------------------


class Shape:
    def __init__(self, kind, tmp):
        self.kind = kind
        self.tmp = Path(tmp)
        self.port = free_port()
        self.procs = {}
        self.logs = self.tmp / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.smtp = FakeSMTP()
        self.workers = 1 if kind == "embedded" else 2
        self.database = None
        self.env = self._env()

    def _env(self):
        env = {
            k: v for k, v in os.environ.items()
            if not k.startswith(("BPD_", "DJANGO_", "PYTEST_", "EMAIL_"))
            and k not in {"DATABASE_URL", "REDIS_URL"}
        }  # fmt: skip
        env.update({
            "BPD_VAR_DIR": str(self.tmp / "var"),
            "BPD_MEDIA_ROOT": str(self.tmp / "media"),
            "BPD_EXPOSE_WORKER": "1",
            "BPD_TRUSTED_PROXY_COUNT": "1",
            "BPD_LOG_LEVEL": "WARNING",
            "BPD_FREQUENT_JOBS_MINUTES": "1",
            "BPD_EMAIL_RETRY_DELAYS": "1,1",
            "BPD_EMAIL_URGENT_RETRY_DELAYS": "1,1",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp.port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_TIMEOUT": "3",
            "BPD_SITE_URL": f"http://127.0.0.1:{self.port}",
        })  # fmt: skip
        if self.kind in {"production", "single-machine"}:
            env.update({
                "BPD_ENV": "production",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DJANGO_SECURE_SSL_REDIRECT": "0",
            })  # fmt: skip
        if self.kind == "production":
            self.redis_port = free_port()
            self.database = f"bpd_shape_{os.getpid()}"
            env["DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + "/" + self.database
            env["REDIS_URL"] = f"redis://127.0.0.1:{self.redis_port}/0"
        if self.kind == "single-machine":
            env["BPD_SINGLE_MACHINE"] = "1"
        return env

    # processes

    def spawn(self, name, args):
        with open(self.logs / f"{name}.log", "ab") as log:  # the child keeps its own copy
            self.procs[name] = subprocess.Popen(
                args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def stop(self, name, sig=signal.SIGTERM):
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def manage(self, *args, timeout=300):
        result = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True,
            text=True, timeout=timeout,
        )  # fmt: skip
        assert result.returncode == 0, (
            f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        )
        return result.stdout

    def shell(self, code):
        return self.manage("shell", "--no-imports", "-c", code).strip()

    def start_redis(self):
        self.spawn("redis", ["redis-server", "--port", str(self.redis_port), "--save", "",
                             "--appendonly", "no", "--bind", "127.0.0.1"])  # fmt: skip
        wait_for(lambda: _connects(self.redis_port), what="redis")

    def start_web(self):
        if self.kind == "embedded":
            self.spawn(
                "web", [PYTHON, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"]
            )
        else:
            self.spawn("web", [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi", "-w", "2",
                               "-b", f"127.0.0.1:{self.port}", "--timeout", "60"])  # fmt: skip
        wait_for(lambda: _status(self.port, "/healthz") == 200, what="web server")

    def start_worker(self):
        self.spawn("worker", [PYTHON, "manage.py", "run_huey", "--simple", "-w", "2"])

    def start(self):
        if self.kind == "production":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{self.database}"')
                c.execute(f'CREATE DATABASE "{self.database}"')
            self.start_redis()
        self.manage("migrate", "--no-input", "-v0")
        self.manage("load_site")
        if self.kind != "embedded":
            self.manage("collectstatic", "--no-input", "-v0")
        result = subprocess.run(
            [PYTHON, "tests/production/world.py"], cwd=ROOT, env=self.env, capture_output=True,
            text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        self.world = json.loads(result.stdout.strip().splitlines()[-1])
        self.start_web()
        self.start_worker()

    def close(self):
        for name in list(self.procs):
            self.stop(name)
        self.smtp.stop()
        if self.database:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def log_tail(self, lines=40):
        out = []
        for path in sorted(self.logs.glob("*.log")):
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            out.append(f"--- {path.name}\n" + "\n".join(tail))
        return "\n".join(out)

    # people

    def browser(self, handle=None, **kwargs):
        return Browser(self, self.world["cookies"][handle] if handle else None, **kwargs)


def _connects(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _status(port, path):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        return connection.getresponse().status
    except OSError:
        return None


CODE = re.compile(r"^\s+([A-Z0-9-]{6,})\s*$", re.M)


def code_in(message):
    import email

    parsed = email.message_from_string(message)
    for part in parsed.walk():
        if part.get_content_type() == "text/plain":
            match = CODE.search(part.get_payload(decode=True).decode())
            if match:
                return match.group(1)
    raise AssertionError("no code in the email")


def requires_binaries(*names):
    return [name for name in names if shutil.which(name) is None]
