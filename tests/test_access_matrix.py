"""Every URL of the project, as every role: allowed or denied, and never another person's data.

A target member fills every profile field with a marker and hides it from
everyone ("only me"). Whoever visits, no page may show a marker unless the
visitor is the target themself, or staff whose look is recorded in the audit log.
When a new URL is added, this test fails until the URL is given an expectation below.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from bpd.members import services
from bpd.members.models import AccessLog, Connection
from bpd.members.roles import Role
from bpd.members.visibility import Visibility
from tests.factories import CityFactory, PageFactory, PostFactory, ProfileFactory, UserFactory

ROLES = ["anonymous", "member", "target", "leader", "reviewer", "treasurer", "executor", "partner"]
SIGNED_IN = [role for role in ROLES if role != "anonymous"]
PUBLIC = dict.fromkeys(ROLES, 200)
MEMBERS_ONLY = {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 200)}
POST_ONLY = {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 405)}
EXECUTORS = dict.fromkeys(SIGNED_IN, 403) | {"anonymous": 302, "executor": 200}
EXECUTORS_POST_ONLY = dict.fromkeys(SIGNED_IN, 403) | {"anonymous": 302, "executor": 405}
REDIRECT = dict.fromkeys(ROLES, 302)
MARKERS = {
    "pronouns": "MARK-PRONOUN",
    "bio": "MARK-BIO",
    "expertise_topics": "MARK-TOPIC",
    "github": "https://github.com/MARK-GITHUB",
}

# name: expected status per role. `None` means any status below 500 (third-party
# pages we do not link to); every page is still checked for leaks.
EXPECTED = {
    "robots": PUBLIC,
    "sitemap": PUBLIC,
    "favicon": PUBLIC,
    "healthz": PUBLIC,
    "ready": PUBLIC,
    "pages:home": PUBLIC,
    "pages:detail": PUBLIC,
    "news:index": PUBLIC,
    "news:feed": PUBLIC,
    "news:tag": PUBLIC,
    "news:detail": PUBLIC,
    "members:expertise": PUBLIC,
    "members:invite": PUBLIC,
    "members:demo_sign_in": PUBLIC,
    "members:home": MEMBERS_ONLY,
    "members:onboarding": MEMBERS_ONLY,
    "members:edit_profile": MEMBERS_ONLY,
    "members:directory": MEMBERS_ONLY,
    "members:connections": MEMBERS_ONLY,
    "members:my_data": MEMBERS_ONLY,
    "members:delete_account": MEMBERS_ONLY,
    # The target hides their name from everyone, so only they can open their page.
    "members:profile": {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 404), "target": 200},
    "members:connection_start": POST_ONLY,
    "members:connection_remove": POST_ONLY,
    "members:connection_callback": dict.fromkeys(ROLES, 302),
    "members:staff_home": EXECUTORS,
    "members:staff_members": EXECUTORS,
    "members:staff_invites": EXECUTORS,
    "members:staff_invite_revoke": EXECUTORS_POST_ONLY,
    "members:staff_audit": EXECUTORS,
    "background:mail_and_jobs": EXECUTORS,
    "background:retry_email": EXECUTORS_POST_ONLY,
    "account_signup": {"anonymous": 200, **dict.fromkeys(SIGNED_IN, 302)},
    "account_request_login_code": {"anonymous": 200, **dict.fromkeys(SIGNED_IN, 302)},
    "account_login": REDIRECT,
    "account_logout": {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 200)},
    "admin:index": dict.fromkeys(ROLES, 302) | {"executor": 200},
    # The Fund. The target has an accepted award in a round the reviewer reviews.
    "fund:index": MEMBERS_ONLY,
    "fund:manage": EXECUTORS,
    "fund:round_edit": EXECUTORS,
    "fund:allocate": EXECUTORS,
    "fund:decide": EXECUTORS,
    "fund:wait_times": EXECUTORS | {"treasurer": 200},
    "fund:money": EXECUTORS | {"treasurer": 200},
    "fund:report": EXECUTORS | {"treasurer": 200},
    "fund:bookings": EXECUTORS | {"treasurer": 200},
    "fund:review_queue": EXECUTORS | {"reviewer": 200, "executor": 403},
    "fund:committee": EXECUTORS | {"reviewer": 200},
    "fund:review": {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 404), "reviewer": 200},
    "fund:application": {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 404), "target": 200},
    "fund:letter": {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 404), "target": 200},
    # Only leaders may apply; the target has already applied, so is sent to their application.
    "fund:apply": {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 403), "leader": 200, "target": 302},
    "fund:withdraw": POST_ONLY,
    "fund:reply": POST_ONLY,
    "fund:visa_outcome": POST_ONLY,
    "fund:trip_report": POST_ONLY,
}
# Fund staff see the name of a traveller they book for: the traveller agreed to it
# when applying (the consent on the application), whatever their profile says.
ALLOWED_LEAKS = {
    ("fund:bookings", "treasurer"),
    ("fund:bookings", "executor"),
    ("fund:money", "treasurer"),
    ("fund:money", "executor"),
}


def walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            yield from walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                f"{namespace}:{ns}" if namespace and ns else (ns or namespace),
            )
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern)


def project_url_names():
    names = set()
    for name, _route in walk(get_resolver().url_patterns):
        if name.startswith("admin:") and name != "admin:index":
            continue  # Django's admin: maintenance screens, covered by admin:index
        names.add(name)
    return names


@pytest.fixture
def world(db):
    target = ProfileFactory(
        display_name="MARK-NAME",
        city=CityFactory(name="MARK-CITY"),
        country="ZW",
        skill_level="expert",
        career_status="open",
        roles=["security"],
        in_expertise_directory=True,
        **MARKERS,
        **dict.fromkeys(("name_visibility", "location_visibility", "city_visibility", "about_visibility", "career_visibility", "links_visibility"), Visibility.ONLY_ME),
    )  # fmt: skip
    Connection.objects.create(
        user=target.user, provider="github", external_id="7", username="MARK-CONN"
    )
    users = {"target": target.user}
    for role in ROLES:
        if role in {"anonymous", "target"}:
            continue
        extra = [] if role == "member" else [Role(role)]
        users[role] = ProfileFactory(user=UserFactory(roles=extra)).user
    services.ensure_groups()
    PageFactory(path="", translation_key="home", layout="home")
    page = PageFactory(path="about/")
    post = PostFactory(tags=[])
    tag = post.tags.create(name="python", slug="python")
    invite = services.create_invite(
        created_by=None,
        groups=[Group.objects.get(name="leader")],
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    round, fund_application = fund_world(target.user, users)
    from bpd.background.models import OutgoingEmail

    failed_email = OutgoingEmail.objects.create(
        kind="test", recipients="a@example.com", subject="s", status="failed",
        message={}, next_attempt_at=timezone.now(),
    )  # fmt: skip
    kwargs = {
        "fund:round_edit": {"slug": round.slug},
        "fund:allocate": {"slug": round.slug},
        "fund:money": {"slug": round.slug},
        "fund:report": {"slug": round.slug},
        "fund:review_queue": {"slug": round.slug},
        "fund:committee": {"slug": round.slug},
        "fund:apply": {"slug": round.slug},
        **{
            name: {"pk": fund_application.pk}
            for name in (
                "fund:decide",
                "fund:bookings",
                "fund:review",
                "fund:application",
                "fund:letter",
                "fund:withdraw",
                "fund:reply",
                "fund:visa_outcome",
                "fund:trip_report",
            )
        },
        "pages:detail": {"path": page.path},
        "news:tag": {"slug": tag.slug},
        "news:detail": {"slug": post.slug},
        "members:profile": {"pk": target.pk},
        "members:invite": {"token": invite.token},
        "members:connection_start": {"provider": "github"},
        "members:connection_callback": {"provider": "github"},
        "members:connection_remove": {"provider": "github"},
        "members:staff_invite_revoke": {"pk": invite.pk},
        "background:retry_email": {"pk": failed_email.pk},
    }
    return users, kwargs


def fund_world(target_user, users):
    from bpd.fund import services as fund
    from bpd.fund.models import Criterion, Event, Round

    now = timezone.now()
    event = Event.objects.create(
        name="PyCon Test", url="https://example.com", city="Berlin", country="DE",
        starts_on=(now + dt.timedelta(days=200)).date(), ends_on=(now + dt.timedelta(days=203)).date(),
    )  # fmt: skip
    round = Round.objects.create(
        name="Round", slug="round", opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=30),
        decision_date=(now + dt.timedelta(days=40)).date(), budget=1_000_000, currency="USD",
        covered=["flight", "visa"], requires_leader=True,
    )  # fmt: skip
    round.reviewers.add(users["reviewer"])
    criterion = Criterion.objects.create(round=round, name="Impact", weight=1)
    target_user.groups.add(Group.objects.get(name="leader"))
    application = round.applications.create(
        applicant=target_user, event=event, origin_country="ZW", passport_country="ZW",
        purpose="Talk", give_back="Meetup", currency="USD", consent_at=now,
    )  # fmt: skip
    fund.save_costs(application=application, costs={"flight": 90_000})
    application = fund.submit(application=application, actor=target_user)
    fund.submit_review(
        application=application, reviewer=users["reviewer"], scores={criterion.pk: (4, "")}
    )
    fund.stage_decision(
        application=application, outcome="award", items={"flight": 90_000}, actor=users["executor"]
    )
    fund.release_decisions(round=round, actor=users["executor"])
    application.refresh_from_db()
    fund.reply_to_offer(application=application, actor=target_user, accept=True)
    application.refresh_from_db()
    fund.add_booking(
        application=application, actor=users["treasurer"], category="flight", vendor="Air",
        amount=80_000, currency="USD", rate=1, status="booked",
    )  # fmt: skip
    target_user.groups.remove(Group.objects.get(name="leader"))
    return round, application


def urls_to_visit(kwargs):
    visits = []
    for name in sorted(project_url_names()):
        try:
            url = reverse(name, kwargs=kwargs.get(name))
        except Exception:
            continue  # needs arguments we have no sample for: allauth internals
        visits.append((name, url))
    return visits


def test_every_project_url_has_an_expectation(db):
    ours = {n for n in project_url_names() if not n.startswith("account_") and n != "admin:index"}
    ours |= {n for n in EXPECTED if n.startswith("account_")}

    assert ours - set(EXPECTED) == set(), "add these URLs to EXPECTED"


@pytest.mark.parametrize("role", ROLES)
def test_every_url_as_every_role(client, world, role):
    users, kwargs = world
    if role != "anonymous":
        client.force_login(users[role])
    failures = []
    for name, url in urls_to_visit(kwargs):
        response = client.get(url)
        expected = EXPECTED.get(name, {}).get(role)
        if expected is None:
            if response.status_code >= 500:
                failures.append(f"{url}: {response.status_code}")
        elif response.status_code != expected:
            failures.append(f"{url}: {response.status_code}, expected {expected}")
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode(errors="replace")
        leaked = [
            m for m in ("MARK-NAME", "MARK-CITY", "MARK-CONN", *MARKERS.values()) if m in body
        ]
        if leaked and role != "target" and (name, role) not in ALLOWED_LEAKS:
            recorded = (
                role == "executor" and AccessLog.objects.filter(member=users["target"]).exists()
            )
            if not recorded:
                failures.append(f"{url}: shows {leaked} to {role}")
        if role != "anonymous" and not response.wsgi_request.user.is_authenticated:
            client.force_login(users[role])
    assert failures == []
