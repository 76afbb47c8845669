"""Hostile input at every form and every POST endpoint, and in every query string.

For each URL pattern that some role may POST to, hypothesis takes the form as a role
allowed to use it would send it (the access matrix's payload, or the page's own form),
replaces one to three of its fields with generated and hostile values (huge, negative,
non-numeric, control characters, RTL overrides, NUL, impossible dates, several values
where one is expected, missing fields, hostile files) and posts it in one of the site's
other languages. Each example must answer below 500; when the answer shows an error
(beside a field or as a message), the request must have written nothing, and each error
must be in the user's language (the same request in English shows other words).
Query strings get the same treatment on every page, with every parameter name any view
or filter form reads.

A pattern that accepts POST and is in neither FUZZ nor NOTHING_TO_FUZZ fails
`test_every_post_url_has_a_strategy`, as a URL without an expectation fails the matrix.
Every request runs in a savepoint that is rolled back (see test_matrix.Session), so the
examples all start from the same world.

Examples per URL: BPD_FUZZ_EXAMPLES (default 20; hypothesis derandomised, so CI sees the
same examples every run; set BPD_FUZZ_RANDOM=1 to explore new ones, BPD_FUZZ_SHRINK=1 to
have a failure shrunk to its smallest form).
"""

import ast
import datetime as dt
import os
import re
import time
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.website import languages
from tests.access import expectations as x
from tests.access.patterns import _walk, all_patterns
from tests.access.test_matrix import Session, Writes, _page_forms, body_of, visits

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("BPD_FUZZ_EXAMPLES", "20"))
RANDOM = os.environ.get("BPD_FUZZ_RANDOM") == "1"
# No shrinking unless asked (BPD_FUZZ_SHRINK=1): a failure is reported as generated,
# which keeps a failing CI run short.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate]
if os.environ.get("BPD_FUZZ_SHRINK") == "1":
    PHASES.append(Phase.shrink)
OTHER_LANGUAGES = [code for code in languages.CODES if code != languages.DEFAULT]


# Who posts where ----------------------------------------------------------------------


@dataclass(frozen=True)
class Fuzz:
    """How one POST URL is fuzzed: as `role`, starting from its ACTIONS payloads (or an
    empty form), with `files` added as hostile uploads under those field names."""

    role: str
    files: tuple = ()


FUZZ = {
    "members:onboarding": Fuzz("member"),
    "members:edit_profile_about": Fuzz("member", files=("photo",)),
    "members:edit_profile_where": Fuzz("member"),
    "members:edit_profile_career": Fuzz("member"),
    "members:edit_profile_links": Fuzz("member"),
    "members:edit_profile_privacy": Fuzz("member"),
    "members:contact": Fuzz("anonymous"),
    "members:delete_account": Fuzz("member"),
    "members:invite": Fuzz("member"),
    "members:connection_start": Fuzz("member"),
    "members:connection_remove": Fuzz("target"),
    "members:staff_roles": Fuzz("executor"),
    "members:staff_invites": Fuzz("executor"),
    "members:staff_invite_revoke": Fuzz("executor"),
    "background:retry_email": Fuzz("executor"),
    "account_signup": Fuzz("anonymous"),
    "account_request_login_code": Fuzz("anonymous"),
    "account_email": Fuzz("member"),
    "account_logout": Fuzz("member"),
    "account_reauthenticate": Fuzz("member"),
    "fund:manage": Fuzz("executor"),
    "fund:round_edit": Fuzz("executor"),
    "fund:apply": Fuzz("leader"),
    "fund:check_answers": Fuzz("leader"),
    "fund:review": Fuzz("reviewer"),
    "fund:declare_conflict": Fuzz("reviewer"),
    "fund:decide": Fuzz("executor"),
    "fund:stage_proposal": Fuzz("executor"),
    "fund:release": Fuzz("executor"),
    "fund:allow_few_reviews": Fuzz("executor"),
    "fund:visa_check": Fuzz("executor"),
    "fund:money": Fuzz("treasurer"),
    "fund:wait_times": Fuzz("treasurer", files=("file",)),
    "conferences:import": Fuzz("executor", files=("file",)),
    "conferences:suggest": Fuzz("member"),
    "conferences:speaking": Fuzz("target"),
    "conferences:follow": Fuzz("member"),
    "conferences:unfollow": Fuzz("target"),
    "conferences:review": Fuzz("executor"),
    "events:zone": Fuzz("anonymous"),
    "events:rsvp": Fuzz("member"),
    "events:cancel_rsvp": Fuzz("target"),
    "events:confirm_seat": Fuzz("target"),
    "events:calendar_settings": Fuzz("member"),
    "events:attendees": Fuzz("executor"),
    "events:create": Fuzz("executor"),
    "events:edit": Fuzz("executor"),
    "events:publish": Fuzz("executor"),
    "events:announce": Fuzz("executor"),
    "events:cancel_event": Fuzz("executor"),
    "events:cancel_occurrence": Fuzz("executor"),
    "events:move_occurrence": Fuzz("executor"),
    "communities:propose": Fuzz("member", files=("logo",)),
    "communities:edit": Fuzz("leader", files=("logo",)),
    "communities:new_event": Fuzz("leader"),
    "communities:join": Fuzz("member"),
    "communities:follow": Fuzz("member"),
    "communities:leave": Fuzz("target"),
    "communities:approve": Fuzz("executor"),
    "communities:decline": Fuzz("executor"),
    "communities:add_leader": Fuzz("executor"),
    "communities:remove_leader": Fuzz("executor"),
    "communities:close": Fuzz("executor"),
    "fund:add_booking": Fuzz("treasurer"),
    "fund:booking_status": Fuzz("treasurer"),
    "fund:cancel_all": Fuzz("treasurer"),
    "fund:out_of_pocket": Fuzz("treasurer"),
    "fund:settle": Fuzz("treasurer"),
    "fund:withdraw": Fuzz("target"),
    "fund:reply": Fuzz("target"),
    "fund:passport_name": Fuzz("target"),
    "fund:staff_letters": Fuzz("treasurer"),
    "fund:visa_outcome": Fuzz("target"),
    "fund:trip_report": Fuzz("target"),
    "communities:payment": Fuzz("treasurer"),
    "communities:payment_refund": Fuzz("treasurer"),
    "insights:refresh": Fuzz("treasurer"),
    "learning:sign_up": Fuzz("member"),
    "learning:withdraw": Fuzz("target"),
    "learning:show_completion": Fuzz("target"),
    "learning:attendance": Fuzz("leader"),
    "learning:programme_new": Fuzz("executor"),
    "learning:programme_edit": Fuzz("executor"),
    "learning:cohort_new": Fuzz("executor"),
    "learning:cohort_edit": Fuzz("executor"),
    "learning:materials": Fuzz("leader"),
    "learning:material_edit": Fuzz("leader"),
    "learning:material_remove": Fuzz("leader"),
    "communities:ticket_apply": Fuzz("member"),
    "communities:ticket_confirm": Fuzz("member"),
    "communities:ticket_decline": Fuzz("member"),
    "communities:ticket_withdraw": Fuzz("target"),
    "communities:draw_setup": Fuzz("leader"),
    "communities:draw_run": Fuzz("leader"),
    "communities:draw_codes": Fuzz("leader", files=("file",)),
    "communities:draw_by_name": Fuzz("leader"),
    "communities:draw_issued": Fuzz("leader"),
    "communities:draw_attendance": Fuzz("leader"),
    "communities:sponsorship_new": Fuzz("leader"),
    "communities:sponsorship_new_for": Fuzz("leader"),
    "communities:sponsorship_edit": Fuzz("leader"),
    "communities:sponsorship_submit": Fuzz("leader"),
    "communities:sponsorship_withdraw": Fuzz("leader"),
    "communities:sponsorship_complete": Fuzz("leader"),
    "communities:sponsorship_approve": Fuzz("executor"),
    "communities:sponsorship_changes": Fuzz("executor"),
    "communities:sponsorship_decline": Fuzz("executor"),
    "communities:sponsorship_cancel": Fuzz("executor"),
    "communities:sponsorship_policy": Fuzz("executor"),
    "partners:claim": Fuzz("member"),
    "partners:portal_redemptions": Fuzz("partner", files=("file",)),
    "partners:portal_seats": Fuzz("partner"),
    "partners:manage_new": Fuzz("executor", files=("logo",)),
    "partners:manage_partner": Fuzz("executor", files=("logo",)),
    "partners:person_add": Fuzz("executor"),
    "partners:person_remove": Fuzz("executor"),
    "partners:offer_approve": Fuzz("executor"),
    "partners:offer_reject": Fuzz("executor"),
    "partners:claim_revoke": Fuzz("executor"),
    "partners:claim_reissue": Fuzz("executor"),
    "partners:offer_new": Fuzz("partner"),
    "partners:offer_edit": Fuzz("partner"),
    "partners:offer_submit": Fuzz("partner"),
    "partners:offer_withdraw": Fuzz("partner"),
    "partners:offer_codes": Fuzz("partner", files=("file",)),
}
# POST answered like GET, or by Django and allauth's own views with no form of ours,
# or a page that does not exist for the roles that reach it. Each with its reason.
NOTHING_TO_FUZZ = {
    **dict.fromkeys(
        (
            "events:mine",
            "conferences:index",
            "conferences:detail",
            "conferences:deadlines",
            "conferences:deadlines_ics",
            "conferences:moderate",
        ),
        "the conference list's reading pages: POST is answered like GET (filters are GET)",
    ),
    **dict.fromkeys(
        ("events:manage", "events:manage_event"),
        "the organiser's lists: POST is answered like GET (their forms post elsewhere)",
    ),
    **dict.fromkeys(
        ("communities:mine", "communities:manage", "communities:manage_community"),
        "the communities' lists: POST is answered like GET (their forms post elsewhere)",
    ),
    **dict.fromkeys(
        ("robots", "sitemap", "favicon", "healthz", "ready"),
        "a file or a probe: POST is answered like GET",
    ),
    **dict.fromkeys(
        (
            "pages:home",
            "pages:detail",
            "news:index",
            "news:feed",
            "news:tag",
            "news:detail",
            "members:expertise",
            "members:contact_sent",
            "members:edit_profile",
            "members:home",
            "members:directory",
            "members:profile",
            "members:connections",
            "members:my_data",
            "members:staff_home",
            "members:staff_members",
            "members:staff_audit",
            "background:mail_and_jobs",
            "styleguide",
            "fund:index",
            "fund:application",
            "fund:review_queue",
            "fund:committee",
            "fund:report",
            "fund:letter",
            "fund:submitted",
            "fund:allocate",
            "fund:bookings",
        ),
        "a page with no POST form of its own: POST is answered like GET (its query "
        "string is fuzzed by test_hostile_query_strings)",
    ),
    **dict.fromkeys(
        (
            "ledger:overview",
            "ledger:entries",
            "ledger:entries_csv",
            "ledger:totals_csv",
            "communities:payments",
        ),
        "the ledger and the payments list only read: POST is answered like GET (their "
        "filters are GET, fuzzed by test_hostile_query_strings)",
    ),
    "members:demo_sign_in": "development only: off in production, no data to post",
    **dict.fromkeys(
        (
            "partners:portal",
            "partners:portal_offer",
            "partners:portal_offer_csv",
            "partners:portal_seats_csv",
        ),
        "the partner portal's pages and CSVs only read: POST is answered like GET",
    ),
    **dict.fromkeys(
        ("partners:manage", "partners:offer_review"),
        "staff's partner lists: POST is answered like GET (their forms post elsewhere)",
    ),
    **dict.fromkeys(
        ("communities:tickets", "communities:draws_manage"),
        "sponsored tickets' lists: POST is answered like GET (their forms post elsewhere)",
    ),
    **dict.fromkeys(
        (
            "communities:sponsorship",
            "communities:sponsorship_request",
            "communities:sponsorship_review",
            "communities:sponsorship_review_request",
        ),
        "sponsorship's lists and request pages: POST is answered like GET (their forms post "
        "elsewhere)",
    ),
    **dict.fromkeys(
        ("communities:sponsored", "communities:sponsored_year"),
        "the public list of completed sponsorships: POST is answered like GET (its query "
        "string is fuzzed by test_hostile_query_strings)",
    ),
    "fund:staff_letter_pdf": "a PDF download: POST is answered like GET",
    "fund:letter_check": "a public page with no form: POST is answered like GET (its "
    "query string is fuzzed by test_hostile_query_strings)",
    **dict.fromkeys(
        (
            "account_inactive",
            "account_email_verification_sent",
            "account_change_password",
            "account_set_password",
            "account_reset_password",
            "account_reset_password_done",
            "account_reset_password_from_key",
            "account_reset_password_from_key_done",
        ),
        "passwords are off: allauth answers with a redirect or a page with no form",
    ),
}


def post_keys():
    """Every pattern some role may POST to, outside Django's admin (its own forms, for
    staff only; the matrix covers who reaches it)."""
    keys = []
    for pattern in all_patterns():
        if pattern.route.startswith("admin/"):
            continue
        expected = x.expected_post(pattern) or {}
        if any(not x.is_denial(value) for value in expected.values()):
            keys.append(pattern.key)
    return keys


def test_every_post_url_has_a_strategy():
    keys = post_keys()
    missing = [key for key in keys if key not in FUZZ and key not in NOTHING_TO_FUZZ]
    assert not missing, f"add these to FUZZ (or NOTHING_TO_FUZZ, with a reason): {missing}"
    stale = [key for key in [*FUZZ, *NOTHING_TO_FUZZ] if key not in keys]
    assert not stale, f"no POST URL any more: {stale}"
    patterns = {p.key: p for p in all_patterns()}
    for key, fuzz in FUZZ.items():
        expected = x.expected_post(patterns[key])[fuzz.role]
        assert not x.is_denial(expected), f"{key}: {fuzz.role} may not post there"


# Hostile values -----------------------------------------------------------------------

WORDS = [
    "", " ", "\t", "\r\n", "\x00", "a\x00b", "\u200b", "\u202eevil", "\u2066x\u2069",
    "\ufeff", "x" * 50_000, "9" * 400, "-1", "0", "-0", "00", "1e30", "-1e30", "1E-30",
    "NaN", "inf", "-Infinity", str(10**30), "-" + str(10**30), "0x10", "1,000", "1_000",
    "\u0661\u0662\u0663", "\uff13", "0001-01-01", "9999-12-31", "10000-01-01", "2024-02-30",
    "2027-13-01", "1-1-1", "0000-00-00 00:00", "2027-01-01T25:61", "-2027-01-01",
    "<script>alert(1)</script>", "' OR 1=1 --", '=HYPERLINK("http://x","y")', "@SUM(A1)",
    "../../etc/passwd", "%s%n%x", "{{ 7*7 }}", "{% debug %}", "\U0001f600" * 2000,
    "\u03a9" * 10_000, "a" * 255 + "@example.com", "x@" + "y" * 300 + ".com",
    "javascript:alert(1)", "https://" + "a" * 3000 + ".example", "None", "null",
    "true", "[]", "{}",
]  # fmt: skip
text = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=40),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
    st.datetimes(min_value=dt.datetime(1, 1, 1)).map(lambda d: d.isoformat(" ")),
)
MISSING = object()  # the field is left out of the request
value = st.one_of(
    text,
    text,
    text,
    st.lists(text, min_size=2, max_size=3),  # several values where one is expected
    st.just(MISSING),
)
PNG_BOMB = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x2e\xe0\x00\x00\x2e\xe0\x08\x06\x00\x00\x00"  # a PNG header that claims 12000 x 12000 pixels, and nothing after it
file_bytes = st.one_of(
    st.sampled_from(
        [
            b"",
            b"\x00" * 64,
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",  # a JPEG cut short
            PNG_BOMB,
            b"GIF89a" + b"\xff" * 32,
            b"post,country,visa_category,wait_days\n" + b"A" * 140_000 + b",NG,B1,1\n",
            b"post,country,visa_category,wait_days\n" + b"Lagos,NG,B1,-5\n" * 50,
            b"\xef\xbb\xbfpost;country\n\xff\xfe\x00",
            b"<svg onload=alert(1)>",
        ]
    ),
    st.binary(max_size=512),
)
file_name = st.sampled_from(["a.jpg", "../../x.png", "\u202egpj.exe", "a\x00.csv", "x" * 300])


def hostile_file(content, name):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# Reading an answer ---------------------------------------------------------------------

ERROR_LIST = re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S)
FIELD_ERROR = re.compile(r'<p class="field-error"[^>]*>(.*?)</p>', re.S)
HIDDEN = re.compile(r'<span class="vh">.*?</span>', re.S)
ITEM = re.compile(r"<li[^>]*>(.*?)</li>", re.S)
TAG = re.compile(r"<[^>]+>")
MAIN = re.compile(r'<main id="main">\s*(.*?)</main>', re.S)
SUMMARY = re.compile(r'<div class="error-summary"([^>]*)>(.*?)</div>', re.S)
LINK = re.compile(r'<a href="#([^"]*)">')


def _text(html):
    return unescape(TAG.sub("", HIDDEN.sub("", html))).strip()


def errors_in(response, body):
    """The error messages the answer shows: beside fields (the field component's errors,
    and Django's error lists where a page has its own) and as messages of level error
    (shown on the page the answer redirects to)."""
    found = []
    if "html" in response.get("Content-Type", ""):
        for block in ERROR_LIST.findall(body):
            found += [_text(item) for item in ITEM.findall(block)]
        found += [_text(item) for item in FIELD_ERROR.findall(body)]
    storage = getattr(response.wsgi_request, "_messages", None)
    for message in getattr(storage, "_queued_messages", []):
        if message.level >= messages.ERROR:
            found.append(str(message))
    return [error for error in found if error]


def summary_problems(body):
    """What is wrong with a page that shows form errors: the error summary must be there,
    first in the main content, focused on load, and each entry must link to a field that
    exists on the page."""
    if not (FIELD_ERROR.search(body) or ERROR_LIST.search(body)):
        return []
    main = MAIN.search(body)
    summary = SUMMARY.search(body)
    if not main or not summary:
        return ["errors are shown without an error summary"]
    problems = []
    if not main.group(1).startswith('<div class="error-summary"'):
        problems.append("the error summary is not first in the main content")
    if "autofocus" not in summary.group(1):
        problems.append("the error summary does not take the focus")
    targets = LINK.findall(summary.group(2))
    if not targets:
        problems.append("the error summary links to no field")
    for target in targets:
        if not re.search(rf'\sid="{re.escape(target)}"', body):
            problems.append(f"the error summary links to #{target}, which is not on the page")
    return problems


def translated_keys():
    """The patterns mounted under i18n_patterns: each has a URL per language."""
    keys = set()
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and isinstance(entry.pattern, LocalePrefixPattern):
            keys |= {p.key for p in _walk(entry.url_patterns)}
    return keys


def untranslated(errors, english):
    """Errors shown in another language that read exactly as they do in English."""
    return [error for error in errors if error in english and re.search(r"[A-Za-z]{3}", error)]


# Sending -------------------------------------------------------------------------------


class NetWrites(Writes):
    """Writes that stand when the request ends: a savepoint rolled back inside the request
    (a service refusing half-way) takes its writes with it."""

    def __init__(self):
        super().__init__()
        self._marks = {}

    def __call__(self, execute, sql, params, many, context):
        words = sql.split()
        if len(words) >= 2 and words[0].upper() == "SAVEPOINT":
            self._marks[words[1]] = set(self.tables)
        elif sql.upper().startswith("ROLLBACK TO SAVEPOINT"):
            self.tables = set(self._marks.get(words[-1], self.tables))
        return super().__call__(execute, sql, params, many, context)


def send(session, method, url, data=None):
    """One request in a savepoint that is rolled back: the response, its body, the tables
    it wrote for good, and the verbs it added to the audit log."""
    with transaction.atomic():
        position = Entry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with NetWrites() as writes:
            if method == "GET":
                response = session.client.get(url)
            else:
                response = session.client.post(url, data or {})
        body = body_of(response)
        verbs = set(Entry.objects.filter(pk__gt=position).values_list("verb", flat=True))
        transaction.set_rollback(True)
    if session.role != "anonymous" and not response.wsgi_request.user.is_authenticated:
        session.sign_in()
    return response, body, set(writes.tables), verbs


def written_by(tables, verbs):
    """What a request wrote, leaving out the audit log's record of an executor's look at
    private fields (a page shown again with its errors records that look too)."""
    if verbs <= {Verb.PRIVATE_VIEWED}:
        tables = tables - {Entry._meta.db_table}
    return sorted(tables)


# POST ---------------------------------------------------------------------------------


class Report:
    """What the suite ran, printed at the end of the session for the note."""

    posts = {}
    gets = {}
    summaries = {}
    started = time.monotonic()


def _bases(world, forms, key):
    """The payload makers for `key`: each returns a fresh payload (files are read once)."""
    pattern = next(p for p in all_patterns() if p.key == key)
    result = {}
    for label, payload in x.actions_for(pattern).items():
        if isinstance(payload, x.PageForm):
            result[label] = lambda payload=payload: forms[key] | payload.changes
        else:
            result[label] = lambda payload=payload: payload(world)
    return result


def _post_visits(world):
    return {v.pattern.key: v for v in visits(world, method="POST")}


@pytest.fixture(scope="module")
def post_world(world, django_db_blocker):
    with django_db_blocker.unblock():
        return _post_visits(world), _page_forms(world)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """allauth's rate limits would answer most examples with 429 before any form ran."""
    settings.ACCOUNT_RATE_LIMITS = False


@pytest.mark.parametrize("key", sorted(FUZZ))
def test_hostile_posts(world, post_world, key):
    post_visits, page_forms = post_world
    fuzz = FUZZ[key]
    url = post_visits[key].url
    session = Session(world, fuzz.role)
    bases = _bases(world, page_forms, key)
    translated = key in translated_keys()
    names = sorted({name for make in bases.values() for name in make()} | {"unexpected"})

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=PHASES,
    )
    @given(data=st.data())
    def run(data):
        label = data.draw(st.sampled_from(sorted(bases)), "action")
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
        values = {name: data.draw(value, name) for name in chosen}
        uploads = {name: (data.draw(file_bytes), data.draw(file_name)) for name in fuzz.files}
        language = data.draw(st.sampled_from(OTHER_LANGUAGES), "language")

        def payload():
            result = bases[label]()
            for name, new in values.items():
                if new is MISSING:
                    result.pop(name, None)
                else:
                    result[name] = new
            for name, (content, filename) in uploads.items():
                result[name] = hostile_file(content, filename)
            return result

        Report.posts[key] = Report.posts.get(key, 0) + 1
        here = languages.prefixed(url, language) if translated else url
        response, body, tables, verbs = send(session, "POST", here, payload())
        assert response.status_code < 500, f"{response.status_code} at {here}"
        errors = errors_in(response, body)
        written = written_by(tables, verbs)
        assert not (errors and written), f"errors {errors[:3]}, yet it wrote to {written}"
        assert not summary_problems(body), f"{here}: {summary_problems(body)}"
        if errors and translated:
            response, body, _tables, _verbs = send(session, "POST", url, payload())
            left = untranslated(errors, errors_in(response, body))
            assert not left, f"not in {language} at {here}: {left}"

    run()


@pytest.mark.parametrize("key", sorted(FUZZ))
def test_a_refused_form_leads_with_an_error_summary(world, post_world, key):
    """Every form, sent with each of its fields emptied in turn: wherever the page answers
    with errors, the error summary leads the page, takes the focus and links to the fields.
    """
    post_visits, page_forms = post_world
    session = Session(world, FUZZ[key].role)
    url = post_visits[key].url
    shown = 0
    for make in _bases(world, page_forms, key).values():
        base = make()
        for name in sorted(base) or [None]:
            payload = {k: v for k, v in base.items() if k != name}
            response, body, _tables, _verbs = send(session, "POST", url, payload)
            problems = summary_problems(body)
            assert not problems, f"{url} without {name!r}: {problems}"
            shown += bool(errors_in(response, body)) and response.status_code == 200
    Report.summaries[key] = shown


# GET ----------------------------------------------------------------------------------


def query_names():
    """Every query-string name a view reads: `request.GET.get("x")`, `request.GET["x"]`,
    `.getlist("x")`, and the fields of any form bound to `request.GET`; plus `page`."""
    names = {"page"}
    for path in Path(settings.BASE_DIR, "bpd").glob("**/*.py"):
        tree = ast.parse(path.read_text())
        module = None
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            if _is_request_get(getattr(node.func, "value", None)) and node.args:
                if isinstance(node.args[0], ast.Constant):
                    names.add(node.args[0].value)
            elif node.args and _reads_request_get(node.args[0]):
                module = module or _import(path)
                form = getattr(module, getattr(node.func, "id", ""), None)
                if isinstance(form, type) and issubclass(form, forms.BaseForm):
                    names |= set(form.base_fields)
        for node in ast.walk(tree):
            subscript = isinstance(node, ast.Subscript) and _is_request_get(node.value)
            if subscript and isinstance(node.slice, ast.Constant):
                names.add(node.slice.value)
    return sorted(names)


def _is_request_get(node):
    return isinstance(node, ast.Attribute) and node.attr == "GET"


def _reads_request_get(node):
    if isinstance(node, ast.BoolOp):
        return any(_reads_request_get(v) for v in node.values)
    return _is_request_get(node)


def _import(path):
    import importlib

    relative = path.relative_to(settings.BASE_DIR).with_suffix("")
    return importlib.import_module(".".join(relative.parts))


def test_query_names_are_found():
    """The scan finds what the views read today (so a broken scan cannot pass silently)."""
    found = set(query_names())
    assert {"page", "format", "max_per_country", "state"} <= found
    assert {"country", "verb", "person"} <= found  # filter forms' fields


# The role that reads each page (the first allowed one, in this order).
READERS = [
    "target", "executor", "treasurer", "reviewer", "leader", "member", "anonymous",
]  # fmt: skip


def get_visits(world):
    result = []
    for visit in visits(world):
        if visit.pattern.route.startswith("admin/"):
            continue
        expected = x.expected_get(visit.pattern)
        role = next((r for r in READERS if expected[r] in {200, x.ANY}), None)
        if role:
            result.append((visit, role))
    return result


def test_hostile_query_strings(world):
    names = query_names()
    sessions = {}
    failures = []
    for visit, role in get_visits(world):
        session = sessions.get(role) or sessions.setdefault(role, Session(world, role))
        key = visit.pattern.key
        _query_examples(session, visit, key, names, failures)
    assert not failures, "\n".join(failures[:20])


def _query_examples(session, visit, key, names, failures):
    """A few generated query strings on one page, as one role."""

    @hypothesis_settings(
        max_examples=max(3, EXAMPLES // 2),
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=PHASES,
    )
    @given(data=st.data())
    def run(data):
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=4))
        query = {name: data.draw(value.filter(lambda v: v is not MISSING)) for name in chosen}
        Report.gets[key] = Report.gets.get(key, 0) + 1
        here = f"{visit.url}?{urlencode(query, doseq=True)}"
        response, _body, tables, verbs = send(session, "GET", here)
        if response.status_code >= 500:
            failures.append(f"GET {visit.url} {key}: {response.status_code} for {query!r:.300}")
        if written_by(tables, verbs):
            failures.append(f"GET {visit.url} {key} wrote to {sorted(tables)}")

    run()


def test_zz_report(capsys):
    """One line for the note: forms and pages by examples, and the time taken."""
    posts, gets = Report.posts, Report.gets
    with capsys.disabled():
        print(
            f"\nhostile input: {len(posts)} POST URLs x {sum(posts.values())} examples, "
            f"{len(gets)} GET URLs x {sum(gets.values())} examples, "
            f"{time.monotonic() - Report.started:.0f} s; error summaries checked on "
            f"{sum(Report.summaries.values())} refused forms at "
            f"{sum(1 for n in Report.summaries.values() if n)} URLs"
        )
