"""Every URL pattern of the project, as every role, by GET and by every POST action:
allowed or denied as expected, a denied POST writes nothing, and no page shows a marker
planted in someone's data to a role that may not see it.

Adding a URL anywhere without an expectation fails `test_every_pattern_is_accounted_for`
with its name (or its route, when it has no name). The world is built once per module
(conftest.py); every request runs in a savepoint that is rolled back, so each one sees
the same world and a POST that writes leaves nothing behind for the next.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from tests.access import expectations as x
from tests.access.pageforms import post_form_data
from tests.access.patterns import admin_sample, all_patterns
from tests.access.world import EXECUTORS, MARKERS, PROFILE_MARKERS, ROLES, post_samples, samples

pytestmark = pytest.mark.django_db


# The audit log ----------------------------------------------------------------------


def access_position():
    """Where the audit log ends now; pass it to `recorded_access`."""
    return Entry.objects.aggregate(end=Max("pk"))["end"] or 0


def recorded_access(member, before):
    """The private profile fields of `member` whose viewing was recorded after `before`."""
    entries = Entry.objects.filter(pk__gt=before, verb=Verb.PRIVATE_VIEWED, person=member)
    return {name for entry in entries for name in entry.detail.get("fields", [])}


# Visiting ---------------------------------------------------------------------------


@dataclass
class Visit:
    pattern: object
    url: str


def visits(world, problems=None, method="GET"):
    """One visit per pattern (a pattern mounted twice under one name is visited once).
    A pattern without sample arguments is not visited: it is added to `problems`. POSTs
    use `world.post_samples` where an action needs a record in another state."""
    given, seen, result = samples(world), set(), []
    if method == "POST":
        given |= post_samples(world)
    for pattern in all_patterns():
        kwargs = given.get(pattern.key)
        if kwargs is None and pattern.route.startswith("admin/"):
            kwargs = admin_sample(pattern)
        missing = [name for name in pattern.params if name not in (kwargs or {})]
        if missing:
            if problems is not None:
                problems.append(
                    f"{pattern.key}: no sample arguments for {missing} (world.samples; for "
                    "the admin's, a row of the model in world.py)"
                )
            continue
        url = pattern.url(kwargs or {})
        if (pattern.key, url) not in seen:
            seen.add((pattern.key, url))
            result.append(Visit(pattern, url))
    return result


class Writes:
    """The tables that statements run inside the block wrote to (at least one row
    inserted, updated or deleted), read from every statement Django sends. A denied
    request must leave this empty."""

    STATEMENT = re.compile(
        r"\s*(INSERT|UPDATE|DELETE)\s+(?:OR\s+\w+\s+)?(?:INTO|FROM)?\s*\W?(\w+)", re.I
    )

    def __init__(self):
        self.tables = set()

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        match = self.STATEMENT.match(sql)
        # An INSERT's row count is not known yet when it returns the new ids (SQLite).
        touched = match and (match[1].upper() == "INSERT" or context["cursor"].rowcount != 0)
        if touched and match[2] != "django_session":
            self.tables.add(match[2])
        return result


def body_of(response):
    # A streamed body read to the end is closed by the test client's wrapper; closing it
    # again would send request_finished, and Django would close the database connection.
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="replace")


def login_paths():
    return {reverse("account_request_login_code"), reverse("account_login"), reverse("admin:login")}


def status_problem(response, expected):
    code = response.status_code
    if code >= 500:
        return f"{code}"
    if expected == x.ANY:
        return None
    if expected == x.LOGIN:
        location = response.get("Location", "")
        if code != 302 or urlsplit(location).path not in login_paths():
            return f"{code} {location}, expected a sign-in redirect"
        return None
    if code != expected:
        return f"{code}, expected {expected}"
    return None


def leaked(body, role, key, target, before):
    """Markers on the page that `role` may not see at `key`."""
    recorded = None
    found = []
    for marker in MARKERS:
        if marker not in body or x.may_see(marker, role, key):
            continue
        if role in EXECUTORS and marker in PROFILE_MARKERS and key in x.RECORDING_PAGES:
            if recorded is None:
                recorded = recorded_access(target, before)
            if PROFILE_MARKERS[marker] in recorded:
                continue
        found.append(marker)
    return found


class Session:
    """A browser signed in as one role, sending requests that are each rolled back."""

    def __init__(self, world, role):
        self.world, self.role = world, role
        self.target = world.users["target"]
        self.client = Client(raise_request_exception=False)
        self.sign_in()

    def sign_in(self):
        if self.role != "anonymous":
            self.client.force_login(self.world.users[self.role])

    def send(self, method, url, key, data=None):
        """Send one request to `url` (the pattern `key`); return the response, its body,
        the markers it shows that this role may not see there, and the tables it wrote."""
        with transaction.atomic():
            position = access_position()
            with Writes() as writes:
                if method == "GET":
                    response = self.client.get(url)
                else:
                    response = self.client.post(url, data or {})
            body = body_of(response)
            leaks = leaked(body, self.role, key, self.target, position)
            transaction.set_rollback(True)
        if self.role != "anonymous" and not response.wsgi_request.user.is_authenticated:
            self.sign_in()  # the request signed out, or deleted the account, now rolled back
        return response, body, leaks, sorted(writes.tables)


# Coverage ---------------------------------------------------------------------------


def test_every_pattern_is_accounted_for(world):
    """Each pattern has a GET expectation, a POST expectation, sample arguments, and a
    word on whether its POST writes; and every row below names a pattern that exists."""
    patterns = all_patterns()
    problems = []
    visits(world, problems)
    for pattern in patterns:
        if x.expected_get(pattern) is None:
            problems.append(f"{pattern.key}: no expectation; add it to expectations.GET")
        elif x.expected_post(pattern) is None:
            problems.append(f"{pattern.key}: answers POST only; add it to expectations.POST")
        elif _unsaid_whether_post_writes(pattern):
            problems.append(
                f"{pattern.key}: say who writes with POST (expectations.WRITER) "
                "or that it writes nothing (READ_ONLY_POST)"
            )
    keys = {p.key for p in patterns}
    tables = {"GET": x.GET, "POST": x.POST, "ACTIONS": x.ACTIONS, "WRITER": x.WRITER}
    for table_name, table in {**tables, "READ_ONLY_POST": x.READ_ONLY_POST}.items():
        for key in table:
            if key not in keys and not key.endswith("/"):
                problems.append(f"{key} in expectations.{table_name}: no such pattern any more")
    assert not problems, "\n".join(problems)


def _unsaid_whether_post_writes(pattern):
    if pattern.route.startswith("admin/") or pattern.key in x.WRITER:
        return False
    allowed = any(not x.is_denial(e) for e in x.expected_post(pattern).values())
    return allowed and pattern.key not in x.READ_ONLY_POST


def test_every_action_in_the_templates_is_posted():
    """A form that dispatches on `action` sends values the matrix posts, one by one."""
    found = set()
    for template in Path(settings.BASE_DIR, "bpd").glob("**/templates/**/*.html"):
        found |= set(re.findall(r'name="action" value="(\w+)"', template.read_text()))
    posted = {label for actions in x.ACTIONS.values() for label in actions}
    assert found - posted == set(), "add these actions to expectations.ACTIONS"


# The matrix -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_get_as_every_role(world, role):
    session = Session(world, role)
    failures, seen = [], set()
    for visit in _accounted(world, failures, x.expected_get):
        key = visit.pattern.key
        response, body, leaks, written = session.send("GET", visit.url, key)
        problem = status_problem(response, x.expected_get(visit.pattern)[role])
        if problem:
            failures.append(f"GET {visit.url} ({key}): {problem}")
        if set(written) - {Entry._meta.db_table}:
            failures.append(f"GET {visit.url} ({key}) wrote to {written}")
        if leaks:
            failures.append(f"GET {visit.url} ({key}) shows {leaks}")
        seen |= {(key, marker) for marker in MARKERS if marker in body}
    for must_role, key, marker in x.MUST_SEE:
        if must_role == role and (key, marker) not in seen:
            failures.append(f"{key} does not show {marker} to {role}: is the marker planted?")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_post_as_every_role(world, role):
    session = Session(world, role)
    forms = _page_forms(world)
    failures = []
    for visit in _accounted(world, failures, x.expected_post, "POST"):
        key = visit.pattern.key
        expected = x.expected_post(visit.pattern)[role]
        denied = x.is_denial(expected)
        writer = x.WRITER.get(key) == role
        for label, payload in x.actions_for(visit.pattern).items():
            if isinstance(payload, x.PageForm):
                data = forms[key] | payload.changes
            else:
                data = payload(world)
            name = f"POST {visit.url} ({key}{' ' + label if label else ''})"
            response, _body, leaks, changed = session.send("POST", visit.url, key, data)
            problem = status_problem(response, expected if denied else x.ANY)
            if problem:
                failures.append(f"{name}: {problem}")
            if denied and changed:
                failures.append(f"{name}: denied, yet changed {changed}")
            if writer and not denied and not changed:
                failures.append(f"{name}: the payload wrote nothing; fix it so a hole would show")
            if leaks:
                failures.append(f"{name} shows {leaks}")
    assert not failures, "\n".join(failures)


def _accounted(world, failures, expected, method="GET"):
    """The visits that have an expectation; the others are failures (the first test says
    what to add)."""
    result = []
    for visit in visits(world, failures, method):
        if expected(visit.pattern) is None:
            failures.append(f"{visit.pattern.key}: not visited: no expectation")
        else:
            result.append(visit)
    return result


def _page_forms(world):
    """For actions posted as a PageForm: the page's own form as its WRITER sees it."""
    forms = {}
    for visit in visits(world):
        key = visit.pattern.key
        if any(isinstance(a, x.PageForm) for a in x.actions_for(visit.pattern).values()):
            client = Client()
            client.force_login(world.users[x.WRITER[key]])
            with transaction.atomic():
                forms[key] = post_form_data(client.get(visit.url).content.decode(), visit.url)
                transaction.set_rollback(True)
    return forms


# Executors who apply ---------------------------------------------------------------


def test_executor_applicant_never_works_on_their_own_application(world):
    """An executor who applied to a round is bound like a reviewer: their own application
    is not in their committee or allocation tables, and they cannot decide it."""
    e1 = world.objects["e1"]
    session = Session(world, "executor_applicant")
    url = reverse("fund:committee", args=[e1.round.slug])
    _, committee, _, _ = session.send("GET", url, "fund:committee")
    assert reverse("fund:decide", args=[e1.pk]) not in committee
    assert reverse("fund:decide", args=[world.objects["x1"].pk]) in committee
    url = reverse("fund:allocate", args=[e1.round.slug])
    _, allocate, _, _ = session.send("GET", url, "fund:allocate")
    assert reverse("fund:decide", args=[e1.pk]) not in allocate
    url = reverse("fund:decide", args=[e1.pk])
    data = {"outcome": "award", "reason": "mine", "award_flight": "900"}
    response, _, _, changed = session.send("POST", url, "fund:decide", data)
    assert response.status_code == 404
    assert not changed


def test_treasurer_applicant_never_books_for_their_own_award(world):
    """The treasurer who holds an award in the round handles everyone's bookings but their
    own: their own application is outside their gate."""
    r1 = world.objects["r1"]
    session = Session(world, "treasurer_applicant")
    url = reverse("fund:bookings", args=[r1.pk])
    response, _, _, _ = session.send("GET", url, "fund:bookings")
    assert response.status_code == 404
    url = reverse("fund:add_booking", args=[r1.pk])
    data = {
        "booking-category": "flight", "booking-vendor": "Own", "booking-cost": "100",
        "booking-currency": "USD", "booking-status": "booked",
    }  # fmt: skip
    response, _, _, changed = session.send("POST", url, "fund:add_booking", data)
    assert response.status_code == 404
    assert not changed
    url = reverse("fund:bookings", args=[world.objects["t1"].pk])
    response, _, _, _ = session.send("GET", url, "fund:bookings")
    assert response.status_code == 200
