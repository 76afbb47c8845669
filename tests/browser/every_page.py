"""Every page any role can reach: the one list behind `python3 dev.py screenshots` and
tests/browser/test_every_page.py.

    python3 dev.py screenshots [--out DIR] [--width 360 --width 1280] [--only SUBSTRING]

Which pages. The access matrix (tests/access/expectations.py) says, for every URL pattern,
which roles get a 200; each such pattern is a page for those roles, so a new URL shows up
here as soon as it has its row in the matrix. Left out: answers that are not pages a person
reads (NOT_PAGES: feeds, robots, sitemap, favicon, health checks, the PDF letter, uploaded
files), views that answer only POST (their GET row is 405), redirects (302, or "any status"
for allauth's password pages), CSV exports (a query string on a page, not a pattern) and
Django's admin beyond its index.

Who sees each. The test signs in as each of the matrix's roles (world.ROLES); the command as
each demo account, which stands for one or two of them (DEMO_PERSONAS). A page open to
signed-out visitors is taken once, signed out. Any other page
is visited as every role that may see it and taken again only where it differs from what an
earlier role saw there: the elements inside <main>, by tag and class, not by text. So each
role's own hub and Fund pages are taken, and a form that is the same for every member once.

URL arguments. The test uses the matrix's world (world.samples) and every content page. The
command runs against a throwaway SQLite database loaded with `load_site --demo` (BPD_VAR_DIR
and BPD_MEDIA_ROOT point into a temporary folder), whose ids differ from the world's, so it
finds its arguments in that database with the ORM (demo_samples): the open and the decided
demo round, the demo leader's own award, an application the demo reviewer may review, one
the executor may decide, a fresh invite. A pattern that gains an argument needs a line there;
until then the command names it and goes on without it.

The command signs in through the development-only page /dev/sign-in-as/, as each demo
account, and writes `<role>__<url-slug>__<width>.png` (full page) and an index.html showing
them all into DIR (default var/screenshots/, which git ignores).
"""

import argparse
import contextlib
import datetime as dt
import hashlib
import html
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
WIDTHS = (360, 1280)

# Patterns that answer with something other than a page a person reads.
NOT_PAGES = {
    "robots",
    "sitemap",
    "favicon",
    "healthz",
    "ready",
    "news:feed",
    "fund:letter",  # a PDF
    "fund:staff_letter_pdf",  # a PDF
    "events:event_ics",  # iCalendar
    "events:feed",  # iCalendar
    "events:personal_feed",  # iCalendar
    "conferences:deadlines_ics",  # iCalendar
    "communities:draw_json",  # a JSON download
    "communities:verify_script",  # a Python download
    "ledger:entries_csv",  # a CSV download
    "ledger:totals_csv",  # a CSV download
    "partners:portal_offer_csv",  # a CSV download
    "partners:portal_seats_csv",  # a CSV download
    "insights:map",  # an SVG image (the page shows it)
    "insights:chart",  # an SVG image
    "insights:data",  # a JSON download
    "insights:csv",  # a CSV download
    "insights:staff_map",  # an SVG image
    "insights:staff_chart",  # an SVG image
    "insights:staff_csv",  # a CSV download
    "^media/(?P<path>.*)$",
}
# The admin is Django's own: its index shows that it is there and how it looks.
ADMIN_PAGES = {"admin:index"}

# The demo's accounts (bpd/members/demo.py) and the matrix roles each one stands for. The
# demo leader has an accepted award in the decided round, so it also sees what the
# matrix's applicant ("target") sees.
DEMO_PERSONAS = {
    "anonymous": ("anonymous",),
    "member": ("member",),
    "leader": ("leader", "target"),
    "reviewer": ("reviewer",),
    "treasurer": ("treasurer",),
    "executor": ("executor",),
    "partner": ("partner",),
}

# What tells two views of one page apart: the elements inside <main>, by tag and class.
SHAPE_JS = """() => {
  const root = document.querySelector("main") || document.body;
  return Array.from(root.querySelectorAll("*"), e => e.tagName + "." + (e.getAttribute("class") || "")).join(" ");
}"""


@dataclass(frozen=True)
class Page:
    key: str  # the URL pattern's key in the access matrix
    sample: int  # which of the pattern's sample arguments (content pages have several)
    path: str  # e.g. "/fund/demo-open/review/"
    translated: bool  # mounted under the language prefixes (/ha/..., /sw/...)

    def in_language(self, code):
        """The path in `code`; pages outside the language prefixes (the admin) have one."""
        from bpd.website import languages

        return languages.prefixed(self.path, code) if self.translated else self.path


def context_options(width):
    """Browser context options for a window `width` CSS pixels wide.

    Not Playwright's mobile emulation: it zooms out a page wider than the screen, and
    window.innerWidth grows with it, so a page that scrolls sideways would pass for one
    that fits (and its screenshot would hide the overflow).
    """
    return {"viewport": {"width": width, "height": 740 if width < 600 else 800}}


# Public pages that show signed-in people more (the Fund's page: their applications, the
# rounds they review or run): taken for every role too, where their content differs.
SIGNED_IN_TOO = {"fund:index"}


def pages_by_role(personas, samples_for):
    """The pages each persona may see, by the access matrix, and the patterns left out for
    want of sample arguments.

    `personas` maps a persona to the matrix roles it stands for; `samples_for(persona)`
    returns {pattern key: kwargs, or a list of kwargs}. A page anonymous visitors may see is
    given to the persona that stands for "anonymous" only (except SIGNED_IN_TOO).
    """
    from django.urls import translate_url
    from django.utils import translation

    from tests.access import expectations as x
    from tests.access.patterns import all_patterns

    pages = {persona: [] for persona in personas}
    missing, seen = [], set()
    samples = {persona: samples_for(persona) for persona in personas}
    for pattern in all_patterns():
        if pattern.key in NOT_PAGES:
            continue
        if pattern.route.startswith("admin/") and pattern.key not in ADMIN_PAGES:
            continue
        row = x.expected_get(pattern)
        if row is None:
            continue  # test_every_pattern_is_accounted_for names it

        def reaches(role, row=row, key=pattern.key):
            return row[role] == 200 or (key in ADMIN_PAGES and row[role] == x.ANY)

        viewers = [name for name, roles in personas.items() if any(map(reaches, roles))]
        if reaches("anonymous") and pattern.key not in SIGNED_IN_TOO:
            viewers = [name for name in viewers if "anonymous" in personas[name]]
        for persona in viewers:
            given = samples[persona].get(pattern.key, {})
            for index, kwargs in enumerate(given if isinstance(given, list) else [given]):
                try:
                    path = pattern.url(kwargs)
                except KeyError as error:
                    missing.append(f"{pattern.key} (as {persona}): no sample for {error}")
                    continue
                if (persona, path) in seen:
                    continue  # a pattern mounted twice (allauth's sign-up and ours)
                seen.add((persona, path))
                with translation.override("en"):
                    translated = translate_url(path, "ha") != path
                pages[persona].append(Page(pattern.key, index, path, translated))
    return pages, missing


def world_samples(world):
    """The matrix world's arguments, with every English content page for pages:detail."""
    from bpd.pages.models import Page as ContentPage
    from tests.access.world import samples

    paths = ContentPage.objects.filter(language="en").exclude(path="").order_by("path")
    return samples(world) | {
        "pages:detail": [{"path": path} for path in paths.values_list("path", flat=True)]
    }


def distinct_views(page, base, pages, seen, language="en"):
    """Open each of `pages` in the Playwright `page` and yield (Page, response) for each
    whose <main> differs from every earlier view of it recorded in `seen` (shared across
    roles), while it is open."""
    for entry in pages:
        response = page.goto(base + entry.in_language(language))
        page.wait_for_load_state("load")
        shape = hashlib.sha256(page.evaluate(SHAPE_JS).encode()).hexdigest()
        views = seen.setdefault((entry.key, entry.sample, language), set())
        if shape in views:
            continue
        views.add(shape)
        yield entry, response


def url_slug(path):
    """A file-name piece for a path: "/fund/demo-open/review/" -> "fund-demo-open-review"."""
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"


# The screenshot command ----------------------------------------------------------------


def _conference_samples():
    """The demo's first upcoming published conference, and a suggestion to moderate."""
    from bpd.conferences.models import Conference

    listed = Conference.objects.published().upcoming().order_by("starts_on", "pk").first()
    waiting = Conference.objects.filter(status="suggested").order_by("pk").first() or listed
    if listed is None:
        return {}
    return {
        "conferences:detail": {"slug": listed.slug},
        "conferences:speaking": {"slug": listed.slug},
        "conferences:review": {"pk": waiting.pk},
    }


def demo_samples(personas):
    """Arguments for each persona's pages, found in the demo database (see the module's
    docstring); {persona: {pattern key: kwargs or a list of kwargs}}."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from bpd.events.models import Event
    from bpd.fund.models import Application, Round
    from bpd.members import services as members
    from bpd.members.demo import demo_email
    from bpd.members.models import Profile as ExpertProfile
    from bpd.members.models import User
    from bpd.members.roles import Role
    from bpd.news.models import Post
    from bpd.pages.models import Page as ContentPage

    users = {
        persona: User.objects.select_related("profile").get(email=demo_email(persona))
        for persona in personas
        if persona != "anonymous"
    }
    opened, decided = Round.objects.get(slug="demo-open"), Round.objects.get(slug="demo-decided")
    award = Application.objects.get(round=decided, applicant=users["leader"])
    to_review = (
        opened.applications.exclude(conflicts__reviewer=users["reviewer"])
        .exclude(applicant=users["reviewer"])
        .order_by("pk")
        .first()
    )
    to_decide = opened.applications.exclude(applicant=users["executor"]).order_by("pk").first()
    post = Post.objects.published().filter(language="en").exclude(tags=None).first()
    invite = members.create_invite(
        created_by=None,
        groups=[Group.objects.get(name=Role.LEADER)],
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    paths = ContentPage.objects.filter(language="en").exclude(path="").order_by("path")
    expert = ExpertProfile.objects.filter(
        in_expertise_directory=True, name_visibility=3, contact_allowed=True
    ).order_by("pk")[0]
    common = {
        "pages:detail": [{"path": path} for path in paths.values_list("path", flat=True)],
        "news:detail": {"slug": post.slug},
        "news:tag": {"slug": post.tags.order_by("slug").first().slug},
        "members:invite": {"token": invite.token},
        "members:staff_invite_revoke": {"pk": invite.pk},
        "members:staff_roles": {"pk": users["member"].profile.pk},
        "members:contact": {"pk": expert.pk},
        "members:contact_sent": {"pk": expert.pk},
        **{
            key: {"slug": opened.slug}
            for key in ("fund:apply", "fund:review_queue", "fund:committee", "fund:allocate")
        },
        "fund:round_edit": {"slug": opened.slug},
        # Money pages are worth seeing where money has moved: the decided round.
        "fund:money": {"slug": decided.slug},
        "fund:report": {"slug": decided.slug},
        "fund:application": {"pk": award.pk},
        "fund:bookings": {"pk": award.pk},
        "fund:staff_letters": {"pk": award.pk},
        "fund:letter_check": {"reference": award.letters.first().reference},
        "fund:review": {"pk": to_review.pk},
        "fund:decide": {"pk": to_decide.pk},
        "events:detail": {"slug": Event.objects.published().order_by("pk").first().slug},
        # The organiser's attendee list where it is fullest (seats, offers, a waiting list).
        "events:attendees": {"pk": _fullest_occurrence()},
        **_organiser_samples(),
        **_conference_samples(),
        **_ticket_samples(),
        **_community_samples(),
        **_sponsorship_samples(),
        **_payment_samples(),
        **_portal_samples(),
        **_partner_member_samples(),
        **_partner_staff_samples(),
    }
    return {
        persona: common
        | ({"members:profile": {"pk": users[persona].profile.pk}} if persona in users else {})
        for persona in personas
    }


def _community_samples():
    """Local communities (communities/demo.py): PyData Accra, led by the demo leader, for
    its pages; the executors' page for it and for the proposal waiting (Python Kampala)."""
    from bpd.communities.models import Community

    accra = Community.objects.filter(slug="pydata-accra").first()
    waiting = Community.objects.filter(status=Community.Status.PROPOSED).order_by("pk").first()
    if accra is None:
        return {}
    samples = {
        key: {"slug": accra.slug}
        for key in ("communities:detail", "communities:edit", "communities:new_event")
    }
    samples["communities:manage_community"] = [
        {"pk": accra.pk},
        *([{"pk": waiting.pk}] if waiting else []),
    ]
    return samples


def _sponsorship_samples():
    """Sponsorship: the demo leader's (PyData Accra) draft and the pages for it, and each
    state of the queue an executor opens (demo_sponsorship.py makes one of each)."""
    from bpd.communities.models import SponsorshipRequest

    S = SponsorshipRequest.Status
    demo = SponsorshipRequest.objects.filter(title__endswith="(demo)").order_by("pk")
    draft = demo.filter(community__slug="pydata-accra", status=S.DRAFT).first()
    completed = demo.filter(status=S.COMPLETED).first()
    reviewed = [
        {"pk": row.pk}
        for status in (S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED, S.COMPLETED)
        if (row := demo.filter(status=status).first())
    ]
    samples = {"communities:sponsorship_new_for": {"slug": "pydata-accra"}}
    if draft:
        samples |= {
            key: {"pk": draft.pk}
            for key in ("communities:sponsorship_request", "communities:sponsorship_edit")
        }
    if reviewed:
        samples["communities:sponsorship_review_request"] = reviewed
    if completed:
        samples["communities:sponsored_year"] = {"year": completed.starts_on.year}
    return samples


def _partner_staff_samples():
    """Partners' management (partners/demo.py): the demo partner's organisation and one of
    its offers of each kind for staff's review page; the offer pages its person shares
    with staff: a new offer, editing an offer (a draft if there is one) and its codes."""
    from bpd.partners.models import Offer, PartnerPerson

    person = PartnerPerson.objects.filter(user__email__startswith="demo-partner@").first()
    if person is None:
        return {}
    partner = person.partner
    offers = Offer.objects.filter(partner=partner).order_by("pk")
    samples = {
        "partners:manage_partner": {"pk": partner.pk},
        "partners:offer_new": {"slug": partner.slug},
    }
    reviewed = [
        {"pk": offer.pk}
        for kind in Offer.Kind.values
        if (offer := offers.filter(kind=kind).first())
    ]
    if reviewed:
        samples["partners:offer_review"] = reviewed
    editable = offers.filter(status__in=["draft", "rejected"]).first() or offers.first()
    if editable:
        samples["partners:offer_edit"] = {"pk": editable.pk}
    pool = offers.filter(kind="codes").first()
    if pool:
        samples["partners:offer_codes"] = {"pk": pool.pk}
    return samples


def _partner_member_samples():
    """The public and member pages of partners (partners/demo.py): the first active
    partner's page, and the claim page of a live seats offer (its consent step) and of a
    pool of codes."""
    from bpd.partners.models import Offer, Partner

    partner = Partner.objects.active().order_by("name", "pk").first()
    live = Offer.objects.live().order_by("pk")
    claims = [
        {"pk": offer.pk} for kind in ("seats", "codes") if (offer := live.filter(kind=kind).first())
    ]
    samples = {"partners:detail": {"slug": partner.slug}} if partner else {}
    return samples | ({"partners:claim": claims} if claims else {})


def _portal_samples():
    """The partner portal (partners/demo.py): an offer of the demo partner's organisation
    for its use and redemptions, and its seats offer if it has one."""
    from bpd.partners.models import Offer, PartnerPerson

    person = PartnerPerson.objects.filter(user__email__startswith="demo-partner@").first()
    if person is None:
        return {}
    offers = Offer.objects.filter(partner=person.partner).order_by("pk")
    samples = {}
    first = offers.filter(kind__in=["codes", "seats"]).first() or offers.first()
    if first:
        samples |= {
            key: {"pk": first.pk}
            for key in ("partners:portal_offer", "partners:portal_redemptions")
        }
    seats = offers.filter(kind="seats").first()
    if seats:
        samples["partners:portal_seats"] = {"pk": seats.pk}
    return samples


def _payment_samples():
    """Payments to organisers: a sponsorship approved and waiting for its payment (the
    form), and one paid or after (its money in the ledger), as the demo has them."""
    from bpd.communities.models import SponsorshipRequest

    S = SponsorshipRequest.Status
    requests = SponsorshipRequest.objects.order_by("pk")
    shown = [
        {"pk": row.pk}
        for statuses in ((S.APPROVED,), (S.PAID, S.TICKETS_ISSUED, S.COMPLETED, S.CANCELLED))
        if (row := requests.filter(status__in=statuses).first())
    ]
    return {"communities:payment": shown} if shown else {}


def _ticket_samples():
    """Sponsored tickets (demo_tickets.py): the open draw (apply), the completed one (its
    public page, codes, attendance) and an approved Accra sponsorship without a draw."""
    from bpd.communities.models import Draw, SponsorshipRequest

    demo = Draw.objects.filter(request__title__endswith="(demo draw)")
    opened, completed = (
        demo.filter(drawn_at__isnull=True).first(),
        demo.exclude(drawn_at=None).first(),
    )
    waiting = (
        SponsorshipRequest.objects.filter(
            community__slug="pydata-accra", status__in=["approved", "paid"], draw__isnull=True
        )
        .order_by("pk")
        .first()
    )
    samples = {"communities:draw_setup": {"pk": waiting.pk}} if waiting else {}
    if opened:
        samples |= {"communities:ticket_apply": {"pk": opened.pk}}
        samples["communities:draw_run"] = {"pk": opened.pk}
    if completed:
        samples["communities:draw"] = [
            {"pk": completed.pk},
            *([{"pk": opened.pk}] if opened else []),
        ]
        for key in ("communities:draw_codes", "communities:draw_attendance"):
            samples[key] = {"pk": completed.pk}
    return samples


def _organiser_samples():
    """The organiser's pages for a published series and its next date."""
    from django.utils import timezone

    from bpd.events.models import Event

    # A series the demo leader's community hosts, so its leader opens the pages too.
    series = Event.objects.published().exclude(rule="").order_by("pk")
    series = series.filter(community_host__community__slug="pydata-accra").first() or series.first()
    if series is None:
        return {}
    date = series.occurrences.filter(cancelled=False, starts_at__gte=timezone.now()).first()
    by_event = ("events:manage_event", "events:edit", "events:cancel_event")
    by_date = ("events:cancel_occurrence", "events:move_occurrence")
    return {key: {"pk": series.pk} for key in by_event} | (
        {key: {"pk": date.pk} for key in by_date} if date else {}
    )


def _fullest_occurrence():
    from django.db.models import Count

    from bpd.events.models import Occurrence

    fullest = Occurrence.objects.annotate(answers=Count("rsvps")).order_by("-answers", "pk")
    return fullest.values_list("pk", flat=True).first()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scratch_environment(scratch):
    """This process's environment, pointed at a throwaway database, cache and media folder
    in `scratch`, with the development defaults (no production, Redis or PostgreSQL)."""
    dropped = {"DATABASE_URL", "REDIS_URL"}
    env = {
        name: value
        for name, value in os.environ.items()
        if name == "BPD_CHROMIUM"
        or not (name.startswith(("BPD_", "DJANGO_", "EMAIL_")) or name in dropped)
    }
    env.update(
        BPD_VAR_DIR=str(scratch / "var"),
        BPD_MEDIA_ROOT=str(scratch / "media"),
        BPD_DEMO_SIGN_IN="1",
        BPD_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def start_server(env, port):
    server = subprocess.Popen(
        [str(PYTHON), "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2),
        ):
            return server
        if server.poll() is not None:
            raise SystemExit("The development server stopped while starting.")
        time.sleep(0.2)
    stop_server(server)
    raise SystemExit("The development server did not answer within a minute.")


def stop_server(server):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def sign_in(context, base, persona):
    """Sign `context` in as the demo account of `persona` through /dev/sign-in-as/."""
    from bpd.members.demo import demo_email

    if persona == "anonymous":
        return
    page = context.new_page()
    page.goto(base + "/dev/sign-in-as/")
    page.get_by_role("button", name=demo_email(persona), exact=True).click()
    page.wait_for_url(base + "/members/")
    page.close()


@dataclass
class Shot:
    persona: str
    path: str
    width: int
    file: str


def take_screenshots(base, pages, widths, out):
    """Screenshot each persona's distinct pages at each width; returns the Shots and the
    pages that did not answer 200 at their own address."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    shots, odd, seen = [], [], {}
    widest, others = max(widths), [w for w in widths if w != max(widths)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for persona, entries in pages.items():
            main = browser.new_context(**context_options(widest))
            sign_in(main, base, persona)
            narrow = {
                width: browser.new_context(
                    storage_state=main.storage_state(), **context_options(width)
                ).new_page()
                for width in others
            }
            page = main.new_page()
            for entry, response in distinct_views(page, base, entries, seen):
                if response.status != 200 or page.url != base + entry.path:
                    odd.append(f"{persona} {entry.path}: {response.status} at {page.url}")
                for width in widths:
                    view = page if width == widest else narrow[width]
                    if view is not page:
                        view.goto(base + entry.path)
                        view.wait_for_load_state("load")
                    name = f"{persona}__{url_slug(entry.path)}__{width}.png"
                    view.screenshot(path=out / name, full_page=True, animations="disabled")
                    shots.append(Shot(persona, entry.path, width, name))
            for view in [page, *narrow.values()]:
                view.context.close()
        browser.close()
    return shots, odd


INDEX_CSS = """
body { font: 15px/1.4 system-ui, sans-serif; margin: 1rem 2rem; color: #111; }
nav a { margin-right: 1rem; }
.page { display: grid; grid-template-columns: 1fr 3fr; gap: 1rem; align-items: start;
        border-top: 1px solid #ccc; padding: 1rem 0; }
figure { margin: 0; }
figcaption { font-size: 13px; margin-bottom: .3rem; overflow-wrap: anywhere; }
img { width: 100%; height: 520px; object-fit: cover; object-position: top;
      border: 1px solid #999; }
"""


def write_index(out, shots, summary):
    """index.html in `out`: every shot, grouped by role and page, each captioned with its
    role, URL and width, and linked to the full-size image."""
    personas = list(dict.fromkeys(shot.persona for shot in shots))
    parts = [
        "<!doctype html><html lang='en'><meta charset='utf-8'>",
        "<title>Every page, every role</title>",
        f"<style>{INDEX_CSS}</style>",
        "<h1>Every page, every role</h1>",
        f"<p>{html.escape(summary)}</p><nav>",
        *(f"<a href='#{p}'>{p}</a>" for p in personas),
        "</nav>",
    ]
    for persona in personas:
        parts.append(f"<h2 id='{persona}'>{persona}</h2>")
        by_path = {}
        for shot in shots:
            if shot.persona == persona:
                by_path.setdefault(shot.path, []).append(shot)
        for group in by_path.values():
            parts.append("<section class='page'>")
            for shot in sorted(group, key=lambda s: s.width):
                caption = f"{shot.persona} · {shot.path} · {shot.width} px"
                parts.append(
                    f"<figure><figcaption>{html.escape(caption)}</figcaption>"
                    f"<a href='{shot.file}'><img loading='lazy' src='{shot.file}' "
                    f"alt='{html.escape(caption)}'></a></figure>"
                )
            parts.append("</section>")
    (out / "index.html").write_text("\n".join(parts), encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 dev.py screenshots",
        description="Screenshot every page each demo role can reach, into DIR with an index.html.",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "screenshots")
    parser.add_argument("--width", type=int, action="append", help="repeatable; 360 and 1280")
    parser.add_argument("--only", help="only pages whose path or role contains this")
    args = parser.parse_args(argv)
    widths = sorted(set(args.width or WIDTHS))
    out = args.out.resolve()
    started = time.monotonic()

    scratch = Path(tempfile.mkdtemp(prefix="bpd-screenshots-"))
    server = None
    try:
        env = scratch_environment(scratch)
        os.environ.clear()
        os.environ.update(env)  # for this process's ORM, as for the server's
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        print("Building a demo database in", scratch, flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_site", demo=True, stdout=io.StringIO())
        pages, missing = pages_by_role(DEMO_PERSONAS, demo_samples(DEMO_PERSONAS).get)
        if args.only:
            pages = {
                persona: [p for p in entries if args.only in p.path or args.only in persona]
                for persona, entries in pages.items()
            }
        pages = {persona: entries for persona, entries in pages.items() if entries}
        port = free_port()
        server = start_server(env, port)
        setup = time.monotonic() - started

        out.mkdir(parents=True, exist_ok=True)
        if not args.only:  # a full run replaces the last one
            for old in out.glob("*__*__*.png"):
                old.unlink()
        shots, odd = take_screenshots(f"http://127.0.0.1:{port}", pages, widths, out)
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(scratch, ignore_errors=True)

    elapsed = time.monotonic() - started
    counts = {}
    for shot in shots:
        counts.setdefault(shot.persona, set()).add(shot.path)
    summary = (
        f"{len(shots)} screenshots: {sum(map(len, counts.values()))} pages as {len(counts)} roles, "
        f"at {', '.join(f'{w} px' for w in widths)}; {elapsed:.0f} s "
        f"({setup:.0f} s to build the demo site)."
    )
    write_index(out, shots, summary)
    for persona, paths in counts.items():
        print(f"  {persona:<10} {len(paths):>3} pages")
    print(summary)
    for line in missing:
        print("  left out (add its arguments to demo_samples):", line)
    for line in odd:
        print("  did not answer 200 at its own address:", line)
    print(f"Open {out / 'index.html'}")
    return 1 if odd or missing else 0


if __name__ == "__main__":
    sys.exit(main())
