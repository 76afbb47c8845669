"""The world the access matrix walks: one person per role, a target member whose data is
marked everywhere it is stored, and a Fund round with an application in every state a
page or action needs.

Fund records are created directly, not through the Fund's services: the matrix needs
exact states (an offer still open, a visa refused with bookings still open, a decision
staged but not released), and it must not depend on the code it is checking.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.utils import timezone

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.background.models import OutgoingEmail
from bpd.conferences.models import Conference
from bpd.content_import.models import ImportedFile, ImportRun
from bpd.fund import models as fund
from bpd.members import services as members
from bpd.members.models import Connection, Skill
from bpd.members.roles import Role
from bpd.members.visibility import Visibility
from bpd.website.models import SiteSettings, SocialLink
from bpd.website.redirects import add_redirect
from tests.factories import (
    CityFactory,
    PageFactory,
    PostFactory,
    ProfileFactory,
    TeamMemberFactory,
    UserFactory,
)

ROLES = [
    "anonymous",
    "member",
    "target",  # the member whose data is marked; also the Fund applicant
    "leader",  # leads the community the samples belong to
    "other_leader",  # leads another community: may act for theirs only, never this one
    "reviewer",  # listed on the round and holding the reviewer role
    "ex_reviewer",  # still listed on the round, but the reviewer role was taken away
    "treasurer",
    "treasurer_applicant",  # the treasurer, with an accepted award of their own in the round
    "executor",
    "executor_applicant",  # an executor who applied to the same round
    "partner",  # acts for the partner the samples belong to
    "other_partner",  # acts for another partner: may see theirs only, never this one's
]
EXECUTORS = ("executor", "executor_applicant")
TREASURERS = ("treasurer", "treasurer_applicant")
# The groups of the roles whose name is not a group: the others hold the group they name.
GROUPS = {
    "member": [],
    "ex_reviewer": [],  # lost Role.REVIEWER; still on round.reviewers (see _fund)
    "executor_applicant": [Role.EXECUTOR],
    "treasurer_applicant": [Role.TREASURER],
    # People the roles meet who never sign in here: other reviewers and another applicant.
    "reviewer2": [Role.REVIEWER],
    "reviewer3": [Role.REVIEWER],
    "traveller": [Role.LEADER],
    "other_leader": [Role.LEADER],
    "other_partner": [Role.PARTNER],
}

# Markers planted in the target's data. A page showing one to a role that may not see
# it is a leak (see expectations.MAY_SEE).
PROFILE_MARKERS = {
    # Shared with "leaders and staff" (name_visibility = LEADERS).
    "MARK-NAME": "display_name",
    "MARK-PRONOUN": "pronouns",
    # "Only me".
    "MARK-CITY": "city",
    "MARK-BIO": "bio",
    "MARK-TOPIC": "expertise_topics",
    "MARK-GITHUB": "github",
    "MARK-CONN": "github",  # the connected GitHub account's name, shown with the links
}
FUND_MARKERS = [
    "MARK-PURPOSE",
    "MARK-GIVEBACK",
    "MARK-GRANTNOTES",
    "MARK-REVIEWCOMMENT",
    "MARK-SCORENOTE",
    "MARK-CONFLICT",
    "MARK-DECISION",
    "MARK-VENDOR",
    "MARK-BOOKREF",
    "MARK-BOOKDESC",
    "MARK-POCKET",
    "MARK-REPORT",
    "MARK-BROUGHT",
    "MARK-OWNREVIEW",
    "MARK-PASSNAME",
]
PARTNER_MARKERS = ["MARK-CODE"]  # the target's unique code (see _partners)
MARKERS = [*PROFILE_MARKERS, *FUND_MARKERS, *PARTNER_MARKERS]


@dataclass
class World:
    users: dict
    objects: dict = field(default_factory=dict)


def build_world():
    members.ensure_groups()
    users = {"target": _target()}
    signing_in = [role for role in ROLES if role not in {"anonymous", "target"}]
    for role in [*signing_in, "reviewer2", "reviewer3", "traveller"]:
        users[role] = _person(role)
    world = World(users=users)
    _site(world)
    _fund(world)
    _events(world)
    _conferences(world)
    _communities(world)
    _sponsorship(world)
    _payments(world)
    _tickets(world)
    _partners(world)
    _learning(world)
    _insights(world)
    return world


def _person(role):
    roles = GROUPS[role] if role in GROUPS else [Role(role)]
    return ProfileFactory(user=UserFactory(roles=roles)).user


def _target():
    profile = ProfileFactory(
        display_name="MARK-NAME", pronouns="MARK-PRONOUN", bio="MARK-BIO",
        expertise_topics="MARK-TOPIC", github="https://github.com/MARK-GITHUB",
        city=CityFactory(name="MARK-CITY"), country="ZW", skill_level="expert",
        career_status="open", roles=["security"], in_expertise_directory=True,
        name_visibility=Visibility.LEADERS,
        **dict.fromkeys(("location_visibility", "city_visibility", "about_visibility", "career_visibility", "links_visibility"), Visibility.ONLY_ME),
    )  # fmt: skip
    Connection.objects.create(
        user=profile.user, provider="github", external_id="7", username="MARK-CONN"
    )
    return profile.user


def _site(world):
    PageFactory(path="", translation_key="home", layout="home")
    page = PageFactory(path="about/")
    post = PostFactory(tags=[])
    tag = post.tags.create(name="python", slug="python")
    invite = members.create_invite(
        created_by=None,
        groups=[Group.objects.get(name=Role.LEADER)],
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    failed_email = OutgoingEmail.objects.create(
        kind="test", recipients="a@example.com", subject="s", status="failed",
        message={}, next_attempt_at=timezone.now(),
    )  # fmt: skip
    Skill.objects.create(name="Django", slug="django")
    # The site's settings row is otherwise created by the first page that reads it.
    SiteSettings.objects.create()
    SocialLink.objects.create(network="github", url="https://github.com/BlackPythonDevs")
    # An old address, so the admin's redirect pages open a real row.
    add_redirect("/matrix-old.html", "/news/", source="world")
    # An import run and a file it stored, for the admin's content-import pages.
    run = ImportRun.objects.create(source="/tmp/site", summary="1 created", report="1 created")
    ImportedFile.objects.create(source="/assets/x.png", digest="0" * 64, file="imported/x.webp",
                                width=10, height=10, run=run)  # fmt: skip
    TeamMemberFactory()
    # Listed in the public expertise directory, and takes messages through the site.
    expert = ProfileFactory(
        display_name="Listed Expert", in_expertise_directory=True, expertise_kinds=["speaker"],
        expertise_topics="Testing", name_visibility=Visibility.PUBLIC,
    )  # fmt: skip
    world.objects.update(
        page=page, post=post, tag=tag, invite=invite, failed_email=failed_email, expert=expert
    )


def _fund(world):
    users, now = world.users, timezone.now()
    today = now.date()
    event = Conference.objects.create(
        name="PyCon Test", url="https://example.com", city="Berlin", country="DE",
        starts_on=today + dt.timedelta(days=200), ends_on=today + dt.timedelta(days=203),
        status=Conference.Status.PUBLISHED,
    )  # fmt: skip

    def new_round(slug):
        return fund.Round.objects.create(
            name=f"Round {slug}", slug=slug, opens_at=now - dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=30), decision_date=today + dt.timedelta(days=40),
            budget=1_000_000, currency="USD", covered=["flight", "visa"], requires_leader=True,
        )  # fmt: skip

    round = new_round("round")
    fund.Round.objects.filter(pk=round.pk).update(
        signatory=users["executor"], signatory_title="Executive Director"
    )
    round.refresh_from_db()
    round.reviewers.add(*(users[r] for r in ("reviewer", "ex_reviewer", "reviewer2", "reviewer3")))
    criterion = fund.Criterion.objects.create(round=round, name="Impact", weight=1)
    fund.ExchangeRate.objects.create(round=round, currency="EUR", rate="1.1", as_of=today)

    def application(round, applicant, status, **extra):
        fields = {
            "round": round, "applicant": applicant, "event": event, "origin_country": "ZW",
            "passport_country": "ZW", "purpose": "Talk", "give_back": "Meetup",
            "currency": "USD", "consent_at": now, "submitted_at": now,
            "requested_total": 90_000, "status": status, "verdict": "feasible",
        }  # fmt: skip
        application = fund.Application.objects.create(**fields | extra)
        fund.CostItem.objects.create(
            application=application, category="flight", amount=90_000, currency="USD"
        )
        return application

    def review(application, reviewer, value=4, comment="", note=""):
        review = fund.Review.objects.create(
            application=application, reviewer=reviewer, comment=comment,
            weighted_score=value, submitted_at=now,
        )  # fmt: skip
        fund.Score.objects.create(review=review, criterion=criterion, value=value, comment=note)

    def decision(application, outcome="award", released=True, **extra):
        decision = fund.Decision.objects.create(
            application=application, outcome=outcome, staged_by=users["executor"],
            released_at=now if released else None, **extra,
        )  # fmt: skip
        if outcome == "award":
            fund.AwardItem.objects.create(decision=decision, category="flight", amount=90_000)
        return decision

    target = users["target"]
    # T1: the target's accepted award, visa refused, bookings still open: every marker.
    t1 = application(
        round, target, "accepted", purpose="MARK-PURPOSE", give_back="MARK-GIVEBACK",
        event_grant_notes="MARK-GRANTNOTES", visa_decision="refused",
        passport_name="MARK-PASSNAME",
    )  # fmt: skip
    # Its funding letter, issued when the award was accepted.
    letter = fund.FundingLetter.objects.create(
        application=t1, reference="BLOF-ROUND-MATRIX2345", issued_by=target,
        signatory_name="Signing Executor", signatory_title="Executive Director",
    )  # fmt: skip
    review(t1, users["reviewer"])
    review(t1, users["ex_reviewer"])  # reviewed before losing the role
    review(t1, users["reviewer2"], comment="MARK-REVIEWCOMMENT", note="MARK-SCORENOTE")
    fund.Conflict.objects.create(
        application=t1, reviewer=users["reviewer3"], reason="MARK-CONFLICT"
    )
    decision(t1, reason="MARK-DECISION", offered_at=now, replied_at=now)
    # The audit log keeps both reasons, as the Fund's services write them.
    for actor, verb, reason in (
        ("reviewer3", Verb.CONFLICT_DECLARED, "MARK-CONFLICT"),
        ("executor", Verb.DECISION_STAGED, "MARK-DECISION"),
    ):
        audit.log(
            actor=users[actor], verb=verb, subject=t1, parent=round, person=target, reason=reason
        )
    booking = fund.Booking.objects.create(
        application=t1, category="flight", vendor="MARK-VENDOR", reference="MARK-BOOKREF",
        description="MARK-BOOKDESC", amount=80_000, currency="USD", rate=1,
        amount_in_round_currency=80_000, status="booked",
    )  # fmt: skip
    pocket = fund.OutOfPocket.objects.create(
        application=t1, description="MARK-POCKET", amount=5_000, currency="USD"
    )
    # E1: the executor's own application in the same round, reviewed, decision staged.
    e1 = application(round, users["executor_applicant"], "submitted")
    review(e1, users["reviewer2"], comment="MARK-OWNREVIEW")
    decision(e1, released=False)
    # X1: another applicant's, scored and undecided, for the allocation proposal.
    x1 = application(round, users["traveller"], "submitted")
    review(x1, users["reviewer2"], value=5)
    # The target's other applications, one per state an applicant's action needs.
    t2 = application(new_round("round-2"), target, "completed")
    decision(t2, offered_at=now, replied_at=now)
    fund.TripReport.objects.create(
        application=t2, summary="MARK-REPORT", brought_back="MARK-BROUGHT"
    )
    t3 = application(new_round("round-3"), target, "offered")
    decision(t3, offered_at=now, offer_deadline=now + dt.timedelta(days=10))
    t4 = application(new_round("round-4"), target, "submitted")
    # The leader's complete draft, ready for "check your answers".
    draft = application(
        new_round("round-5"), users["leader"], "draft", consent_at=None, submitted_at=None
    )
    fund.VisaDataset.objects.create(source="test", as_of=today, rows=0)
    fund.WaitTimeImport.objects.create(source="test", destination="US", as_of=today)
    # R1: the treasurer_applicant's own accepted award in the same round.
    r1 = application(round, users["treasurer_applicant"], "accepted")
    decision(r1, offered_at=now, replied_at=now)
    world.objects.update(
        event=event, round=round, criterion=criterion, t1=t1, t2=t2, t3=t3, t4=t4, e1=e1,
        x1=x1, r1=r1, booking=booking, pocket=pocket, letter=letter, draft=draft,
    )  # fmt: skip


# The round under test, and the target's accepted award T1 in it (its booking and its
# out-of-pocket cost have their own URLs).
BY_ROUND = (
    "fund:round_edit", "fund:allocate", "fund:stage_proposal", "fund:release", "fund:money",
    "fund:report", "fund:review_queue", "fund:committee", "fund:apply",
)  # fmt: skip
BY_T1 = (
    "fund:application", "fund:letter", "fund:submitted", "fund:review", "fund:declare_conflict", "fund:bookings",
    "fund:add_booking", "fund:cancel_all", "fund:out_of_pocket", "fund:visa_outcome",
    "fund:trip_report", "fund:staff_letters", "fund:staff_letter_pdf",
)  # fmt: skip


def samples(world):
    """Arguments for every pattern that takes some (the admin's are found by
    patterns.admin_sample)."""
    o, target = world.objects, world.users["target"]
    return {
        **_partner_samples(world),
        **_learning_samples(world),
        **_insights_samples(),
        "pages:detail": {"path": o["page"].path},
        "news:tag": {"slug": o["tag"].slug},
        "news:detail": {"slug": o["post"].slug},
        "^media/(?P<path>.*)$": {"path": "matrix/no-such-file.txt"},
        "members:profile": {"pk": target.profile.pk},
        "members:contact": {"pk": o["expert"].pk},
        "members:contact_sent": {"pk": o["expert"].pk},
        "members:invite": {"token": o["invite"].token},
        "members:connection_start": {"provider": "github"},
        "members:connection_callback": {"provider": "github"},
        "members:connection_remove": {"provider": "github"},
        "members:staff_invite_revoke": {"pk": o["invite"].pk},
        "members:staff_roles": {"pk": target.profile.pk},
        "background:retry_email": {"pk": o["failed_email"].pk},
        "account_reset_password_from_key": {"uidb36": "1", "key": "set-password"},
        **{key: {"slug": o["round"].slug} for key in BY_ROUND},
        **{key: {"pk": o["t1"].pk} for key in BY_T1},
        "fund:booking_status": {"pk": o["booking"].pk},
        "fund:settle": {"pk": o["pocket"].pk},
        "fund:check_answers": {"slug": o["draft"].round.slug},
        "fund:reply": {"pk": o["t3"].pk},  # offered
        "fund:passport_name": {"pk": o["t2"].pk},  # completed, no passport name yet
        "fund:letter_check": {"reference": o["letter"].reference},
        "fund:withdraw": {"pk": o["t4"].pk},  # submitted
        "fund:decide": {"pk": o["e1"].pk},  # executor_applicant's own
        "fund:allow_few_reviews": {"pk": o["e1"].pk},  # submitted, and theirs
        "fund:visa_check": {"pk": o["e1"].pk},
        **_event_samples(world),
        **_conference_samples(world),
        **_community_samples(world),
        **_sponsorship_samples(world),
        **_payment_samples(world),
        **_ticket_samples(world),
    }


def _events(world):
    """Events (bpd.events): their objects in world.objects."""
    from bpd.events.models import CalendarSettings, Event, Occurrence, Rsvp

    # Public pages: a published weekly session with one coming date the target RSVPed to.
    starts = timezone.now() + dt.timedelta(days=3)
    session = Event.objects.create(
        title="Matrix study group", slug="matrix-study-group", summary="Read together.",
        time_zone="America/New_York", starts_at=starts, status=Event.Status.PUBLISHED,
        published_at=timezone.now(), online_url="https://discord.example/matrix", capacity=10,
    )  # fmt: skip
    sitting = Occurrence.objects.create(
        event=session, original_start=starts, starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
    )  # fmt: skip
    Rsvp.objects.create(occurrence=sitting, member=world.users["target"], status=Rsvp.Status.GOING)
    feed = CalendarSettings.objects.get_or_create(member=world.users["target"])[0]
    world.objects.update(public_event=session, public_occurrence=sitting, feed_settings=feed)
    # RSVPs: a seat offered to the target (to confirm), and a date that has started where
    # the target had a seat (the organiser's attendee list and attendance form).
    for key, days, status in (
        ("rsvp_offer", 5, Rsvp.Status.OFFERED),
        ("rsvp_started", 0, Rsvp.Status.GOING),
    ):
        begins = timezone.now() + dt.timedelta(days=days, minutes=-30 if not days else 0)
        dated = Occurrence.objects.create(
            event=session,
            original_start=begins,
            starts_at=begins,
            ends_at=begins + dt.timedelta(hours=1),
        )
        offer = {"offer_expires_at": timezone.now() + dt.timedelta(days=1)} if days else {}
        Rsvp.objects.create(occurrence=dated, member=world.users["target"], status=status, **offer)
        world.objects[f"{key}_occurrence"] = dated
    # The organiser's pages: a draft one-off with its one date (edit, publish, cancel, move).
    draft = Event.objects.create(
        title="Matrix draft", slug="matrix-draft", summary="Drafted.", time_zone="Africa/Lagos",
        starts_at=starts + dt.timedelta(days=7), online_url="https://discord.example/draft",
    )  # fmt: skip
    world.objects["draft_event"] = draft
    world.objects["draft_occurrence"] = Occurrence.objects.create(
        event=draft, original_start=draft.starts_at, starts_at=draft.starts_at,
        ends_at=draft.starts_at + dt.timedelta(hours=1),
    )  # fmt: skip


def _event_samples(world):
    """Arguments for every events:* pattern that takes some."""
    o = world.objects
    return {
        "events:detail": {"slug": o["public_event"].slug},
        "events:event_ics": {"slug": o["public_event"].slug},
        "events:personal_feed": {"token": o["feed_settings"].feed_token},
        "events:rsvp": {"pk": o["public_occurrence"].pk},
        "events:cancel_rsvp": {"pk": o["public_occurrence"].pk},
        "events:confirm_seat": {"pk": o["rsvp_offer_occurrence"].pk},
        "events:attendees": {"pk": o["rsvp_started_occurrence"].pk},
        **{
            key: {"pk": o["draft_event"].pk}
            for key in (
                "events:manage_event",
                "events:edit",
                "events:publish",
                "events:announce",
                "events:cancel_event",
            )
        },
        "events:cancel_occurrence": {"pk": o["draft_occurrence"].pk},
        "events:move_occurrence": {"pk": o["draft_occurrence"].pk},
    }


def _conferences(world):
    """The conference list (bpd.conferences): its objects in world.objects."""
    from bpd.conferences.models import Deadline, Follow, Speaker

    start = timezone.localdate() + dt.timedelta(days=90)
    listed = Conference.objects.create(
        name="Matrix Conf", url="https://matrix-conf.example.org", starts_on=start,
        ends_on=start + dt.timedelta(days=2), country="GH", city="Accra",
        status=Conference.Status.PUBLISHED, tags=["diversity"],
    )  # fmt: skip
    Deadline.objects.create(
        conference=listed, kind=Deadline.Kind.CFP_CLOSES, zone="AoE",
        due_at=timezone.now() + dt.timedelta(days=20),
    )  # fmt: skip
    # The target speaks there (name shared with leaders only: never shown on the page).
    Speaker.objects.create(
        conference=listed, member=world.users["target"], title="Talk", consent=True
    )
    Follow.objects.create(conference=listed, member=world.users["target"])
    suggested = Conference.objects.create(
        name="Suggested Conf", url="https://suggested.example.org", starts_on=start,
        ends_on=start, online=True, suggested_by=world.users["member"],
    )  # fmt: skip
    world.objects.update(conference=listed, suggested_conference=suggested)


def _conference_samples(world):
    """Arguments for every conferences:* pattern that takes some."""
    o = world.objects
    by_slug = ("detail", "follow", "unfollow", "speaking")
    return {
        **{f"conferences:{name}": {"slug": o["conference"].slug} for name in by_slug},
        "conferences:review": {"pk": o["suggested_conference"].pk},
    }


def post_samples(world):
    """Where a POST needs a record in another state than the page shows: reviews and
    conflicts close once a decision is staged (T1 is decided), so they are posted on X1."""
    o = world.objects
    return {"fund:review": {"pk": o["x1"].pk}, "fund:declare_conflict": {"pk": o["x1"].pk}}


def fund_world(target_user, users):
    """The matrix's Fund for another suite (the browser tests): `users` needs "target",
    "reviewer", "executor" and "treasurer"; the others are made here. Returns the round
    and the target's accepted award in it."""
    users = dict(users, target=target_user)
    for role in (
        "ex_reviewer", "executor_applicant", "treasurer_applicant", "reviewer2", "reviewer3",
        "traveller", "leader",
    ):  # fmt: skip
        if role not in users:
            users[role] = _person(role)
    world = World(users=users)
    _fund(world)
    return world.objects["round"], world.objects["t1"]


# --- Local communities (bpd.communities) and the ledger (bpd.ledger) ---------------------
# "leader" leads world.objects["community"] (Accra); "other_leader" leads
# world.objects["other_community"] (Lagos) and must never act for Accra.


def _communities(world):
    """Communities: the two led communities and what their pages need."""
    from bpd.communities.models import Community, Leadership

    accra = CityFactory(
        name="Accra", country="GH", latitude=5.556, longitude=-0.1969, timezone="Africa/Accra"
    )
    lagos = CityFactory(name="Lagos", country="NG", latitude=6.4541, longitude=3.3947)
    for key, name, city, leader in (
        ("community", "PyData Accra", accra, "leader"),
        ("other_community", "Python Lagos", lagos, "other_leader"),
    ):
        community = Community.objects.create(
            name=name, slug=name.lower().replace(" ", "-"), city=city, country=city.country,
            description=f"{name} meets monthly.", status=Community.Status.ACTIVE,
        )  # fmt: skip
        Leadership.objects.create(community=community, user=world.users[leader])
        world.objects[key] = community
    _community_pages(world)


def _community_pages(world):
    """What the communities' own pages need: Accra hosts the events organiser's draft (so
    its leader manages it and the other leader gets 404), the target is a member of Accra
    and has a proposal waiting for the executors."""
    from bpd.communities.models import Community, HostedEvent, Leadership, Membership
    from bpd.events.models import Event

    accra, users = world.objects["community"], world.users
    draft = world.objects["draft_event"]
    Event.objects.filter(pk=draft.pk).update(host=Event.Host.COMMUNITY)
    HostedEvent.objects.create(event=draft, community=accra)
    Membership.objects.create(community=accra, user=users["target"])
    world.objects["proposal"] = Community.objects.create(
        name="Python Kano", slug="python-kano", city=CityFactory(name="Kano", country="NG"),
        country="NG", description="Kano wants a meetup.", proposed_by=users["target"],
        status=Community.Status.PROPOSED,
    )  # fmt: skip
    world.objects["leadership"] = Leadership.objects.get(community=accra, user=users["leader"])


def _community_samples(world):
    o = world.objects
    accra, proposal = o["community"], o["proposal"]
    by_slug = ("detail", "edit", "new_event", "join", "follow", "leave")
    return {
        **{f"communities:{name}": {"slug": accra.slug} for name in by_slug},
        **{f"communities:{name}": {"pk": accra.pk} for name in ("manage_community", "add_leader", "close")},
        **{f"communities:{name}": {"pk": proposal.pk} for name in ("approve", "decline")},
        "communities:remove_leader": {"pk": o["leadership"].pk},
    }  # fmt: skip


def _sponsorship(world):
    """Sponsorship: the policy's first version and a request of Accra's in each state a
    page or action needs: a draft that meets every rule (its page, edit, submit), one
    submitted (review, approve, ask for changes, decline; the leader may withdraw it), one
    approved (cancel), one with its tickets issued (complete) and one completed (the
    public list). The other leader leads Lagos and must get 403 or 404 on each."""
    from bpd.communities.models import Policy, SponsorshipRequest

    Policy.current()
    accra, today = world.objects["community"], timezone.localdate()
    S = SponsorshipRequest.Status

    def request(key, status, days=90, **extra):
        start = today + dt.timedelta(days=days)
        world.objects[key] = SponsorshipRequest.objects.create(
            community=accra, created_by=world.users["leader"], title=f"Matrix {key}",
            starts_on=start, ends_on=start, city=accra.city, country=accra.country,
            expected_attendance=100, ticket_price=5000, ticket_currency="USD",
            tickets_requested=10, amount=50000, organiser_name="Matrix Organiser Ltd",
            organiser_contact="invoices@example.com", report_plan="Who came.", status=status,
            submitted_at=None if status == S.DRAFT else timezone.now(), **extra,
        )  # fmt: skip

    request("sp_draft", S.DRAFT)
    request("sp_submitted", S.SUBMITTED)
    request("sp_approved", S.APPROVED, amount_approved=50000, tickets_approved=10)
    request("sp_tickets", S.TICKETS_ISSUED, amount_approved=50000, tickets_approved=10)
    request("sp_completed", S.COMPLETED, days=-30, amount_approved=40000, tickets_approved=8,
            tickets_used=7, outcome_report="Seven came.")  # fmt: skip


def _sponsorship_samples(world):
    o = world.objects
    by_request = {
        "sponsorship_request": "sp_draft",
        "sponsorship_edit": "sp_draft",
        "sponsorship_submit": "sp_draft",
        "sponsorship_withdraw": "sp_submitted",
        "sponsorship_complete": "sp_tickets",
        "sponsorship_review_request": "sp_submitted",
        "sponsorship_approve": "sp_submitted",
        "sponsorship_changes": "sp_submitted",
        "sponsorship_decline": "sp_submitted",
        "sponsorship_cancel": "sp_approved",
    }
    return {
        **{f"communities:{name}": {"pk": o[key].pk} for name, key in by_request.items()},
        "communities:sponsorship_new_for": {"slug": o["community"].slug},
        "communities:sponsored_year": {"year": o["sp_completed"].starts_on.year},
    }


def _payments(world):
    """The ledger and the treasurer's payments to organisers: the Fund round's pool with
    T1's award and its paid booking (vendor and reference are markers: money staff only),
    Accra's sponsorship pool with a request approved and waiting for its payment (record
    it) and one cancelled after it was paid (record its refund). Made straight through the
    models, as the rest of the world."""
    from bpd.communities.models import Policy, SponsorshipRequest
    from bpd.ledger.models import Entry, Pool

    o, policy, today = world.objects, Policy.current(), timezone.localdate()
    round, t1, booking = o["round"], o["t1"], o["booking"]
    fund_pool = Pool.objects.create(
        programme="fund", key=f"fund.round:{round.pk}", name=round.name,
        year=round.decision_date.year, currency=round.currency, budget=round.budget,
    )  # fmt: skip

    def entry(pool, kind, source, amount, **extra):
        return Entry.objects.create(
            pool=pool, programme=pool.programme, kind=kind, purpose=f"Matrix {kind}",
            amount=amount, currency=pool.currency, rate=1, amount_in_pool_currency=amount,
            country="NG", region="002", source=source, **extra,
        )  # fmt: skip

    entry(fund_pool, "commitment", f"fund.application:{t1.pk}", 90_000)
    entry(fund_pool, "payment", f"fund.booking:{booking.pk}", booking.amount_in_round_currency,
          vendor=booking.vendor, reference=booking.reference)  # fmt: skip
    accra, S = o["community"], SponsorshipRequest.Status
    start = today + dt.timedelta(days=80)
    pool = Pool.objects.create(
        programme="sponsorship", key=f"sponsorship:{start.year}",
        name=f"Local community sponsorship {start.year}", year=start.year,
        currency=policy.currency, budget=policy.pool_total,
    )  # fmt: skip
    for key, status, paid in (("pay_approved", S.APPROVED, False), ("pay_cancelled", S.CANCELLED, True)):  # fmt: skip
        request = SponsorshipRequest.objects.create(
            community=accra, created_by=world.users["leader"], title=f"Matrix {key}",
            starts_on=start, ends_on=start, city=accra.city, country=accra.country,
            expected_attendance=100, ticket_price=5000, ticket_currency="USD",
            tickets_requested=10, amount=50000, amount_approved=50000, tickets_approved=10,
            decided_policy=policy, organiser_name="Matrix Organiser Ltd",
            organiser_contact="invoices@example.com", report_plan="Who came.", status=status,
            submitted_at=timezone.now(), paid_at=today if paid else None,
        )  # fmt: skip
        source = f"communities.request:{request.pk}"
        entry(pool, "commitment", source, 50_000)
        if paid:
            entry(pool, "payment", source, 50_000, vendor="Matrix Organiser Ltd", reference="M-1")
            entry(pool, "release", source, 50_000)
        o[key] = request
    o["fund_pool"] = fund_pool


def _payment_samples(world):
    o = world.objects
    return {
        "communities:payment": {"pk": o["pay_approved"].pk},
        "communities:payment_refund": {"pk": o["pay_cancelled"].pk},
    }


def _tickets(world):
    """Sponsored tickets: five paid or approved sponsorships of Accra whose tickets go by a
    draw, each at one stage: no draw yet (setup), a draw open for applications (in Lagos,
    so the matrix's members, whose profiles say NG, may apply; the target has entered),
    one closed and not yet drawn (run), one drawn (the member is offered a ticket, the
    target confirmed one without a code yet: codes, by name, issued) and one whose event
    has started (the target confirmed and came: attendance)."""
    from bpd.communities import lottery
    from bpd.communities.models import Draw, SponsorshipRequest, TicketEntry

    accra, now, today = world.objects["community"], timezone.now(), timezone.localdate()
    lagos = world.objects["other_community"].city
    S, E = SponsorshipRequest.Status, TicketEntry.Status

    def sponsorship(title, status=S.PAID, days=60, city=None):
        city = city or accra.city
        start = today + dt.timedelta(days=days)
        return SponsorshipRequest.objects.create(
            community=accra, title=title, starts_on=start, ends_on=start, city=city,
            country=city.country, expected_attendance=100, ticket_price=5000,
            ticket_currency="USD", tickets_requested=4, tickets_approved=4, amount=20000,
            amount_approved=20000, organiser_name="Matrix Organiser",
            organiser_contact="organiser@example.com", report_plan="A report.", status=status,
        )  # fmt: skip

    def draw(request, opens, closes, **extra):
        secret = lottery.new_secret()
        return Draw.objects.create(
            request=request, tickets=2, opens_at=now + dt.timedelta(days=opens),
            closes_at=now + dt.timedelta(days=closes), priorities=["first_time"],
            secret=secret, commitment=lottery.commit(secret),
            randomness_source="drand quicknet round 1", published_at=now - dt.timedelta(days=9),
            **extra,
        )  # fmt: skip

    def entry(on, number, role, status, **extra):
        return TicketEntry.objects.create(
            draw=on, number=number, user=world.users[role], status=status,
            statement="Matrix statement", **extra,
        )  # fmt: skip

    world.objects["ticket_request_new"] = sponsorship("Matrix new", status=S.APPROVED)
    opened = draw(sponsorship("Matrix open", city=lagos), -1, 10)
    world.objects["open_draw"] = opened
    world.objects["entered_entry"] = entry(opened, 1, "target", E.ENTERED)
    world.objects["closed_draw"] = draw(sponsorship("Matrix closed"), -9, -1)
    drawn = draw(sponsorship("Matrix drawn"), -9, -2, drawn_at=now, randomness_value="ab")
    seed = lottery.combined_seed(drawn.secret, drawn.randomness_source, "ab")
    Draw.objects.filter(pk=drawn.pk).update(seed=seed.hex())
    world.objects["drawn_draw"] = drawn
    confirm_by = {"offered_at": now, "confirm_by": now + dt.timedelta(days=3)}
    world.objects["confirmed_entry"] = entry(drawn, 1, "target", E.CONFIRMED, rank=1)
    world.objects["offered_entry"] = entry(drawn, 2, "member", E.OFFERED, rank=2, **confirm_by)
    past = draw(sponsorship("Matrix past", days=-1), -30, -20, drawn_at=now - dt.timedelta(9))
    world.objects["past_draw"] = past
    world.objects["came_entry"] = entry(past, 1, "target", E.CONFIRMED, rank=1)


def _ticket_samples(world):
    o = world.objects
    by_draw = {
        "communities:draw_run": o["closed_draw"],
        "communities:draw_codes": o["drawn_draw"],
        "communities:draw_by_name": o["drawn_draw"],
        "communities:draw_issued": o["drawn_draw"],
        "communities:draw_attendance": o["past_draw"],
        "communities:draw": o["drawn_draw"],
        "communities:draw_json": o["drawn_draw"],
        "communities:ticket_apply": o["open_draw"],
    }
    return {
        **{key: {"pk": draw.pk} for key, draw in by_draw.items()},
        "communities:draw_setup": {"pk": o["ticket_request_new"].pk},
        "communities:ticket_confirm": {"pk": o["offered_entry"].pk},
        "communities:ticket_decline": {"pk": o["offered_entry"].pk},
        "communities:ticket_withdraw": {"pk": o["entered_entry"].pk},
    }


def _partners(world):
    """Partners: "partner" acts for Talk Python Training, "other_partner" for Other Org.
    Talk Python has an approved public shared code, an approved pool of unique codes (the
    target holds one), an approved seats offer (the target holds a seat, their email
    shared), a draft and an offer waiting for approval. Other Org has one approved link."""
    from bpd.partners.models import Claim, Code, Offer, Partner, PartnerPerson

    users, o = world.users, world.objects
    now = timezone.now()
    talk = Partner.objects.create(
        name="Talk Python Training", slug="talk-python", description="Courses on Python.",
        gives_back="20% of each sale is donated to BPD", website="https://training.example.com",
    )  # fmt: skip
    other = Partner.objects.create(name="Other Org", slug="other-org", description="Books.")
    PartnerPerson.objects.create(partner=talk, user=users["partner"])
    PartnerPerson.objects.create(partner=other, user=users["other_partner"])
    A, K = Offer.Status.APPROVED, Offer.Kind

    def offer(key, partner, kind, status=A, **extra):
        o[key] = Offer.objects.create(
            partner=partner, kind=kind, title=f"Matrix {key}", value="10% off", status=status,
            created_by=users["partner"], **extra,
        )  # fmt: skip
        return o[key]

    offer("offer_shared", talk, K.SHARED_CODE, shared_code="MATRIX10", audience="public",
          url="https://training.example.com/bpd")  # fmt: skip
    codes = offer("offer_codes", talk, K.UNIQUE_CODES, quantity=3)
    seats = offer("offer_seats", talk, K.SEATS, quantity=5, reclaim_days=30)
    offer("offer_draft", talk, K.UNIQUE_CODES, status=Offer.Status.DRAFT)
    offer("offer_pending", talk, K.LINK, status=Offer.Status.PENDING, url="https://e.com/x")
    offer("other_offer", other, K.LINK, url="https://books.example.com/bpd")
    o["partner"], o["other_partner"] = talk, other
    o["partner_person"] = PartnerPerson.objects.get(partner=talk, user=users["partner"])
    claim = Claim.objects.create(offer=codes, user=users["target"], country="ZW", region="002")
    Code.objects.create(offer=codes, code="MARK-CODE", claim=claim, given_at=now)
    Code.objects.bulk_create(Code(offer=codes, code=f"FREE-{n}") for n in range(2))
    o["code_claim"] = claim
    o["seat_claim"] = Claim.objects.create(
        offer=seats, user=users["target"], country="ZW", region="002",
        shared_email=users["target"].email, consented_at=now,
    )  # fmt: skip


def _partner_samples(world):
    """Arguments for the partners' URLs (each part of the app adds its own)."""
    o = world.objects
    return {
        "partners:detail": {"slug": o["partner"].slug},
        # The seats offer: its confirmation page asks for consent (the member has no seat).
        "partners:claim": {"pk": o["offer_seats"].pk},
        # The partner portal: Talk Python's seats offer (the target holds a seat).
        **{
            key: {"pk": o["offer_seats"].pk}
            for key in (
                "partners:portal_offer",
                "partners:portal_offer_csv",
                "partners:portal_redemptions",
                "partners:portal_seats",
                "partners:portal_seats_csv",
            )
        },
        # Staff's management and the offer pages (views/manage.py).
        **{
            key: {"pk": o["partner"].pk}
            for key in ("partners:manage_partner", "partners:person_add")
        },
        "partners:person_remove": {"pk": o["partner_person"].pk},
        **{
            key: {"pk": o["offer_pending"].pk}
            for key in (
                "partners:offer_review",
                "partners:offer_approve",
                "partners:offer_reject",
                "partners:offer_withdraw",
            )
        },
        **{
            key: {"pk": o["code_claim"].pk}
            for key in ("partners:claim_revoke", "partners:claim_reissue")
        },
        "partners:offer_new": {"slug": o["partner"].slug},
        **{
            key: {"pk": o["offer_draft"].pk}
            for key in ("partners:offer_edit", "partners:offer_submit", "partners:offer_codes")
        },
    }


def _learning(world):
    """Learning: a published book club whose cohort is open, hosted by "leader", its
    sessions the public weekly session (one has started); the target takes part and has
    completed it."""
    from bpd.learning.models import Cohort, Enrolment, Material, Programme

    o, now = world.objects, timezone.now()
    club = Programme.objects.create(
        kind=Programme.Kind.BOOK_CLUB, title="Matrix book club", slug="matrix-book-club",
        description="We read.", status=Programme.Status.PUBLISHED,
    )  # fmt: skip
    cohort = Cohort.objects.create(
        programme=club, name="Matrix cohort", capacity=5, event=o["public_event"],
        signup_opens_at=now - dt.timedelta(days=1), signup_closes_at=now + dt.timedelta(days=5),
    )  # fmt: skip
    cohort.hosts.add(world.users["leader"])
    o["programme"], o["cohort"] = club, cohort
    o["material"] = Material.objects.create(programme=club, title="Matrix book", author="A. Author")
    o["enrolment"] = Enrolment.objects.create(
        cohort=cohort, user=world.users["target"], completed_at=now
    )


def _learning_samples(world):
    o = world.objects
    return {
        "learning:detail": {"slug": o["programme"].slug},
        **{f"learning:{name}": {"pk": o["cohort"].pk} for name in ("sign_up", "host")},
        "learning:attendance": {
            "pk": o["cohort"].pk,
            "occurrence": o["rsvp_started_occurrence"].pk,
        },
        **{
            f"learning:{name}": {"pk": o["enrolment"].pk}
            for name in ("withdraw", "show_completion")
        },
        **{
            f"learning:{name}": {"slug": o["programme"].slug}
            for name in ("programme_edit", "cohort_new", "materials")
        },
        "learning:cohort_edit": {"pk": o["cohort"].pk},
        **{
            f"learning:{name}": {"pk": o["material"].pk}
            for name in ("material_edit", "material_remove")
        },
    }


# --- Insights (bpd.insights) ---------------------------------------------------------


def _insights(world):
    """The figures of the world as the daily job counts them: every page has a snapshot."""
    from bpd.insights import services

    world.objects["snapshot"] = services.refresh()


def _insights_samples():
    return {
        "insights:chart": {"name": "growth"},
        "insights:csv": {"table": "places"},
        "insights:staff_map": {"kind": "members"},
        "insights:staff_chart": {"name": "skill-levels"},
        "insights:staff_csv": {"table": "money"},
    }
