"""What each role may do at each URL, what each POST sends, and who may see each marker.

Statuses: a number is the exact status expected; LOGIN is a redirect to a sign-in page;
ANY is any status below 500 (pages whose answer depends on Django or allauth, never on
our rules). For POST, a role whose expected status is 200 or ANY is *allowed*: the
request may write, and only a status of 500 or more fails it. Any other expectation is
a *denial*: the status must match and no statement of the request may write a row.
POST expectations are those of GET unless POST below says otherwise.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.access.world import EXECUTORS, ROLES, TREASURERS

LOGIN = "sign-in redirect"
ANY = "any status below 500"
ALLOWED = {200, ANY}


def cells(anonymous, others, **roles):
    """A row of the matrix: `anonymous`, then `others` for every signed-in role unless named."""
    row = {"anonymous": anonymous, **dict.fromkeys(ROLES[1:], others)}
    unknown = set(roles) - set(row)
    assert not unknown, f"no such roles: {unknown}"
    return row | roles


PUBLIC = cells(200, 200)
# The profile editor's sections, each a page with its own form.
PROFILE_SECTIONS = tuple(
    f"members:edit_profile_{slug}" for slug in ("about", "where", "career", "links", "privacy")
)
MEMBERS_ONLY = cells(LOGIN, 200)
EXECUTORS_ONLY = cells(LOGIN, 403, **dict.fromkeys(EXECUTORS, 200))
MONEY = EXECUTORS_ONLY | dict.fromkeys(TREASURERS, 200)
POST_ONLY = cells(LOGIN, 405)  # GET: the view only answers POST
OWN_APPLICATION = cells(LOGIN, 404, target=200)  # others get 404: an id tells them nothing
SIGNED_OUT_ONLY = cells(200, 302)  # signed-in people are sent on; nothing is written
# The events organiser's pages: executors and the leaders of a community (each sees the
# events their community hosts); Accra's things: its leader and executors, not Lagos's.
ORGANISERS = EXECUTORS_ONLY | {"leader": 200, "other_leader": 200}
ACCRA_ORGANISERS = EXECUTORS_ONLY | {"leader": 200, "other_leader": 404}
ACCRA_LEADERS = EXECUTORS_ONLY | {"leader": 200}  # the other leader: 403, like members
# Sponsorship: leaders of any community; Accra's requests: its leader only (Lagos's: 404).
LEADERS = cells(LOGIN, 403, leader=200, other_leader=200)
ACCRA_SPONSORSHIP = cells(LOGIN, 403, leader=200, other_leader=404)
# Partners: Talk Python's offers, for its people and executors (Other Org's person: 404).
TALK_OFFERS = cells(LOGIN, 403, partner=200, other_partner=404, **dict.fromkeys(EXECUTORS, 200))
PARTNER_STAFF_POSTS = (
    "partners:person_add",
    "partners:person_remove",
    "partners:offer_approve",
    "partners:offer_reject",
    "partners:claim_revoke",
    "partners:claim_reissue",
)
SPONSORSHIP_DECISIONS = (
    "communities:sponsorship_approve",
    "communities:sponsorship_changes",
    "communities:sponsorship_decline",
    "communities:sponsorship_cancel",
)

# GET, per pattern key: the URL name ("namespace:name"), or the route of an unnamed pattern.
GET = {
    "robots": PUBLIC,
    "sitemap": PUBLIC,
    "favicon": PUBLIC,
    "healthz": PUBLIC,
    "ready": PUBLIC,
    # Uploaded files, served by path to anyone (Django's static serve); the sample path
    # has no file behind it.
    "^media/(?P<path>.*)$": cells(404, 404),
    "pages:home": PUBLIC,
    "pages:detail": PUBLIC,
    "news:index": PUBLIC,
    "news:feed": PUBLIC,
    "news:tag": PUBLIC,
    "news:detail": PUBLIC,
    "members:expertise": PUBLIC,
    # Sample: a member listed in the expertise directory who takes messages.
    "members:contact": PUBLIC,
    "members:contact_sent": PUBLIC,
    "members:invite": PUBLIC,
    "members:demo_sign_in": PUBLIC,  # development only: settings.DEMO_SIGN_IN is on in tests
    "members:home": MEMBERS_ONLY,
    "members:onboarding": MEMBERS_ONLY,
    "members:edit_profile": MEMBERS_ONLY,
    **dict.fromkeys(PROFILE_SECTIONS, MEMBERS_ONLY),
    "members:directory": MEMBERS_ONLY,
    "members:connections": MEMBERS_ONLY,
    "members:my_data": MEMBERS_ONLY,
    "members:delete_account": MEMBERS_ONLY,
    # The target shares their name with "leaders and staff" only.
    "members:profile": cells(
        LOGIN, 404, target=200, leader=200, other_leader=200, **dict.fromkeys(EXECUTORS, 200)
    ),
    "members:connection_start": POST_ONLY,
    "members:connection_remove": POST_ONLY,
    "members:connection_callback": cells(LOGIN, 302),  # no state: back to the connections page
    "members:staff_home": EXECUTORS_ONLY,
    "styleguide": EXECUTORS_ONLY,
    "members:staff_members": EXECUTORS_ONLY,
    "members:staff_roles": EXECUTORS_ONLY,
    "members:staff_invites": EXECUTORS_ONLY,
    "members:staff_invite_revoke": EXECUTORS_ONLY,  # GET: the confirmation step
    "members:staff_audit": EXECUTORS_ONLY,
    "background:mail_and_jobs": EXECUTORS_ONLY,
    "background:retry_email": EXECUTORS_ONLY | dict.fromkeys(EXECUTORS, 405),
    # Accounts (allauth, with our sign-up page and the password form turned into a redirect).
    "account_signup": SIGNED_OUT_ONLY,
    "accounts/login/": cells(LOGIN, LOGIN),  # ours: sign-in is by emailed code only
    "account_login": cells(LOGIN, LOGIN),  # allauth's, shadowed by the line above
    "account_request_login_code": SIGNED_OUT_ONLY,
    "account_confirm_login_code": cells(LOGIN, 302),  # no code was requested in this session
    "account_logout": cells(302, 200),
    "account_inactive": PUBLIC,
    "account_reauthenticate": cells(LOGIN, ANY),
    "account_email": MEMBERS_ONLY,
    "account_email_verification_sent": cells(302, 302),  # nothing waits for confirmation
    "account_change_password": cells(LOGIN, ANY),
    "account_set_password": cells(LOGIN, ANY),
    "account_reset_password": cells(ANY, ANY),
    "account_reset_password_done": cells(ANY, ANY),
    "account_reset_password_from_key": cells(ANY, ANY),
    "account_reset_password_from_key_done": cells(ANY, ANY),
    # The Fund. "round" is the round under test; the target's application T1 in it is an
    # accepted award (bookings, out-of-pocket, visa refused); E1 is executor_applicant's
    # own submitted application in the same round.
    "fund:index": PUBLIC,  # how the Fund works and its rounds; members see their own too
    "fund:manage": EXECUTORS_ONLY,
    "fund:round_edit": EXECUTORS_ONLY,
    "fund:allocate": EXECUTORS_ONLY,
    # Sample: E1, executor_applicant's own application.
    # An executor never decides their own application: it is outside their gate (404).
    "fund:decide": EXECUTORS_ONLY | {"executor_applicant": 404},
    "fund:stage_proposal": EXECUTORS_ONLY | dict.fromkeys(EXECUTORS, 405),
    "fund:release": EXECUTORS_ONLY | dict.fromkeys(EXECUTORS, 405),
    "fund:allow_few_reviews": EXECUTORS_ONLY | dict.fromkeys(EXECUTORS, 405),
    "fund:visa_check": EXECUTORS_ONLY | dict.fromkeys(EXECUTORS, 405),
    "fund:wait_times": MONEY,
    "conferences:import": EXECUTORS_ONLY,  # staff import a conference list from a file
    # Events' public face; the personal feed's sample is the target's secret address.
    **dict.fromkeys(
        ("events:index", "events:past", "events:detail", "events:zone", "events:event_ics"),
        PUBLIC,
    ),
    "events:feed": PUBLIC,
    "events:personal_feed": PUBLIC,
    # RSVPs (POST only). Samples: the session's coming date (the target has a seat), a
    # date where a seat is offered to the target, a date that has started (attendees).
    **dict.fromkeys(("events:rsvp", "events:cancel_rsvp", "events:confirm_seat"), POST_ONLY),
    "events:mine": MEMBERS_ONLY,
    "events:calendar_settings": MEMBERS_ONLY,
    "events:attendees": cells(LOGIN, 404, **dict.fromkeys(EXECUTORS, 200)),
    # The organiser's pages: executors, and a community's leaders for the events it hosts.
    # Sample: "Matrix draft" (hosted by Accra) and its one date: Accra's leader manages it,
    # Lagos's leader opens the list (their own events) and gets 404 on Accra's.
    "events:manage": ORGANISERS,
    "events:create": EXECUTORS_ONLY,  # a BPD event; a community creates its own
    **dict.fromkeys(
        (
            "events:manage_event",
            "events:edit",
            "events:cancel_event",
            "events:cancel_occurrence",
            "events:move_occurrence",
        ),
        ACCRA_ORGANISERS,
    ),
    "events:publish": ORGANISERS | dict.fromkeys((*EXECUTORS, "leader", "other_leader"), 405),
    "events:announce": ORGANISERS | dict.fromkeys((*EXECUTORS, "leader", "other_leader"), 405),
    # The conference list. Sample: "Matrix Conf" (published; the target speaks there and
    # follows it); for review, "Suggested Conf" (suggested by the member).
    "conferences:index": PUBLIC,
    "conferences:detail": PUBLIC,
    "conferences:deadlines": PUBLIC,
    "conferences:deadlines_ics": PUBLIC,
    "conferences:follow": POST_ONLY,
    "conferences:unfollow": POST_ONLY,
    "conferences:suggest": MEMBERS_ONLY,
    "conferences:speaking": MEMBERS_ONLY,
    "conferences:moderate": EXECUTORS_ONLY,
    "conferences:review": EXECUTORS_ONLY,
    "fund:money": MONEY,
    "fund:report": MONEY,
    "fund:bookings": MONEY,
    # Each booking action has its own POST URL. Sample: T1 (its booking, its out-of-pocket).
    **dict.fromkeys(
        (
            "fund:add_booking",
            "fund:cancel_all",
            "fund:out_of_pocket",
            "fund:booking_status",
            "fund:settle",
        ),
        MONEY | dict.fromkeys((*TREASURERS, *EXECUTORS), 405),
    ),
    # Reviewers of the round who hold the role now; losing the role ends access. The
    # round is fetched through Round.objects.reviewed_by / committee_for: 404 for others.
    "fund:review_queue": cells(LOGIN, 404, reviewer=200),
    "fund:committee": cells(LOGIN, 404, reviewer=200, **dict.fromkeys(EXECUTORS, 200)),
    "fund:review": cells(LOGIN, 404, reviewer=200),
    "fund:declare_conflict": POST_ONLY,
    "fund:application": OWN_APPLICATION,
    "fund:letter": OWN_APPLICATION,
    # The Fund's staff download, issue and re-issue an accepted award's funding letter
    # (sample: T1); anyone checks a letter by its reference (sample: T1's letter).
    "fund:staff_letters": MONEY,
    "fund:staff_letter_pdf": MONEY,
    "fund:letter_check": PUBLIC,
    "fund:passport_name": POST_ONLY,
    "fund:submitted": OWN_APPLICATION,
    # Only leaders may apply; who has applied already is sent to their application.
    "fund:apply": cells(
        LOGIN,
        403,
        leader=200,
        other_leader=200,
        target=302,
        executor_applicant=302,
        treasurer_applicant=302,
    ),
    # The leader's complete draft in round-5 (the others who have applied elsewhere are
    # not leaders: round-5 is for leaders only; the other leader has no draft there).
    "fund:check_answers": cells(LOGIN, 403, leader=200, other_leader=302),
    "fund:withdraw": POST_ONLY,
    "fund:reply": POST_ONLY,
    "fund:visa_outcome": POST_ONLY,
    "fund:trip_report": POST_ONLY,
    # Local communities (world._communities). Samples: Accra (led by "leader"; the target
    # is a member), the target's proposal "Python Kano", Accra's leadership of "leader".
    "communities:index": PUBLIC,
    "communities:detail": PUBLIC,
    "communities:propose": MEMBERS_ONLY,
    "communities:mine": MEMBERS_ONLY,
    **dict.fromkeys(("communities:join", "communities:follow", "communities:leave"), POST_ONLY),
    # A leader of another community gets 403 on Accra's edit and new-event pages.
    "communities:edit": ACCRA_LEADERS,
    "communities:new_event": ACCRA_LEADERS,
    "communities:manage": EXECUTORS_ONLY,
    "communities:manage_community": EXECUTORS_ONLY,
    **dict.fromkeys(
        (
            "communities:approve",
            "communities:decline",
            "communities:add_leader",
            "communities:remove_leader",
            "communities:close",
        ),
        EXECUTORS_ONLY | dict.fromkeys(EXECUTORS, 405),
    ),
    # Learning programmes (world._learning): anyone reads; members sign up and answer for
    # their own enrolment; the cohort's host ("leader") and executors run it, others 404.
    **dict.fromkeys(("learning:index", "learning:detail"), PUBLIC),
    "learning:mine": MEMBERS_ONLY,
    **dict.fromkeys(
        ("learning:sign_up", "learning:withdraw", "learning:show_completion"), POST_ONLY
    ),
    **dict.fromkeys(
        ("learning:host", "learning:attendance", "learning:cohort_edit", "learning:materials"),
        cells(LOGIN, 404, leader=200, **dict.fromkeys(EXECUTORS, 200)),
    ),
    "learning:material_edit": cells(LOGIN, 404, leader=200, **dict.fromkeys(EXECUTORS, 200)),
    "learning:material_remove": POST_ONLY,
    # Executors write programmes and their cohorts.
    **dict.fromkeys(
        (
            "learning:manage",
            "learning:programme_new",
            "learning:programme_edit",
            "learning:cohort_new",
        ),
        EXECUTORS_ONLY,
    ),
    # Sponsored tickets (world._tickets). Members apply and answer for their own entries
    # (others' ids are 404); Accra's leader and executors run Accra's draws, the other
    # community's leader gets 404; anyone reads a published draw and checks it.
    "communities:tickets": MEMBERS_ONLY,
    "communities:ticket_apply": MEMBERS_ONLY,  # the form, or why this member may not apply
    **dict.fromkeys(
        ("communities:ticket_confirm", "communities:ticket_decline", "communities:ticket_withdraw"),
        POST_ONLY,
    ),
    "communities:draws_manage": cells(
        LOGIN, 403, leader=200, other_leader=200, **dict.fromkeys(EXECUTORS, 200)
    ),
    **dict.fromkeys(
        (
            "communities:draw_setup",
            "communities:draw_run",
            "communities:draw_codes",
            "communities:draw_attendance",
        ),
        cells(LOGIN, 404, leader=200, **dict.fromkeys(EXECUTORS, 200)),
    ),
    **dict.fromkeys(("communities:draw_by_name", "communities:draw_issued"), POST_ONLY),
    **dict.fromkeys(
        ("communities:draw", "communities:draw_json", "communities:verify_script"), PUBLIC
    ),
    # Sponsorship (world._sponsorship): Accra's requests, one per state. Leaders see their
    # own communities' requests (members who lead nothing: 403; Lagos's leader: 404 on
    # Accra's); executors review every request but drafts, decide, and keep the policy.
    **dict.fromkeys(("communities:sponsorship", "communities:sponsorship_new"), LEADERS),
    **dict.fromkeys(
        (
            "communities:sponsorship_new_for",  # sample: Accra
            "communities:sponsorship_request",  # sample: the draft
            "communities:sponsorship_edit",
        ),
        ACCRA_SPONSORSHIP,
    ),
    **dict.fromkeys(
        ("communities:sponsorship_submit", "communities:sponsorship_withdraw"),
        cells(LOGIN, 403, leader=405, other_leader=405),
    ),
    "communities:sponsorship_complete": cells(405, 405),
    **dict.fromkeys(
        (
            "communities:sponsorship_policy",
            "communities:sponsorship_review",
            "communities:sponsorship_review_request",  # sample: the submitted request
        ),
        EXECUTORS_ONLY,
    ),
    **dict.fromkeys(SPONSORSHIP_DECISIONS, EXECUTORS_ONLY | dict.fromkeys(EXECUTORS, 405)),
    **dict.fromkeys(("communities:sponsored", "communities:sponsored_year"), PUBLIC),
    # Partners (public and members): the Partners page and a partner's page for everyone;
    # the member's offers, a claim's confirmation page (sample: the seats offer) and
    # "your codes and seats" for every member.
    **dict.fromkeys(("partners:index", "partners:detail"), PUBLIC),
    **dict.fromkeys(("partners:offers", "partners:claim", "partners:mine"), MEMBERS_ONLY),
    # The partner portal: partner people and executors; members 403. Other Org's person
    # opens their own portal and gets 404 on Talk Python's offer (sample: the seats offer).
    "partners:portal": cells(
        LOGIN, 403, partner=200, other_partner=200, **dict.fromkeys(EXECUTORS, 200)
    ),
    **dict.fromkeys(
        (
            "partners:portal_offer",
            "partners:portal_offer_csv",
            "partners:portal_redemptions",
            "partners:portal_seats",
            "partners:portal_seats_csv",
        ),
        cells(LOGIN, 403, partner=200, other_partner=404, **dict.fromkeys(EXECUTORS, 200)),
    ),
    # Partners' management (views/manage.py): executors only. Samples: Talk Python, its
    # person "partner", the offer waiting for approval, the target's claim of a code.
    **dict.fromkeys(
        (
            "partners:manage",
            "partners:manage_new",
            "partners:manage_partner",
            "partners:offer_review",
        ),
        EXECUTORS_ONLY,
    ),
    **dict.fromkeys(PARTNER_STAFF_POSTS, EXECUTORS_ONLY | dict.fromkeys(EXECUTORS, 405)),
    # Offers written by Talk Python's people or executors (samples: Talk Python, its
    # draft); Other Org's person gets 404, members 403.
    **dict.fromkeys(
        ("partners:offer_new", "partners:offer_edit", "partners:offer_codes"), TALK_OFFERS
    ),
    **dict.fromkeys(
        ("partners:offer_submit", "partners:offer_withdraw"),
        cells(LOGIN, 403, partner=405, other_partner=405, **dict.fromkeys(EXECUTORS, 405)),
    ),
    # Money (world._payments): the ledger's totals and entries, and their CSV; payments to
    # organisers (sample: Accra's request approved and waiting for its payment) and the
    # refund of one cancelled after it was paid (POST only). The treasurer and executors.
    **dict.fromkeys(
        (
            "ledger:overview",
            "ledger:entries",
            "ledger:entries_csv",
            "ledger:totals_csv",
            "communities:payments",
            "communities:payment",
        ),
        MONEY,
    ),
    "communities:payment_refund": MONEY | dict.fromkeys((*TREASURERS, *EXECUTORS), 405),
    # Insights (world._insights): the public page, its map, charts, CSVs and JSON; the
    # staff page with money for the treasurer and executors, and their refresh (POST only).
    **dict.fromkeys(
        ("insights:public", "insights:map", "insights:chart", "insights:data", "insights:csv"),
        PUBLIC,
    ),
    **dict.fromkeys(
        ("insights:staff", "insights:staff_map", "insights:staff_chart", "insights:staff_csv"),
        MONEY,
    ),
    "insights:refresh": MONEY | dict.fromkeys((*TREASURERS, *EXECUTORS), 405),
}

# Django's admin: one rule for every pattern under admin/ (staff only; what an executor
# may do inside is Django's model permissions, so any answer below 500), with the few
# pages that differ named.
ADMIN = cells(LOGIN, LOGIN, **dict.fromkeys(EXECUTORS, ANY))
GET_BY_PREFIX = {"admin/": ADMIN}
GET |= {
    "admin:login": cells(LOGIN, ANY),  # allauth's secure_admin_login
    # Django's admin sends whoever may not use it from its logout page to its index.
    "admin:logout": cells(302, 302, **dict.fromkeys(EXECUTORS, ANY)),
}

# POST, where it differs from GET.
POST = {
    "account_email_verification_sent": cells(302, 200),
    "members:invite": cells(LOGIN, 200),
    "members:connection_start": MEMBERS_ONLY,
    "members:connection_remove": MEMBERS_ONLY,
    "members:staff_roles": EXECUTORS_ONLY,
    "background:retry_email": EXECUTORS_ONLY,
    # Sample for POST: X1, undecided. Reviewers declare from the review page, executors
    # from the decide page.
    "fund:declare_conflict": cells(LOGIN, 404, reviewer=200, **dict.fromkeys(EXECUTORS, 200)),
    "fund:decide": EXECUTORS_ONLY | {"executor_applicant": 404},
    "fund:allow_few_reviews": EXECUTORS_ONLY | {"executor_applicant": 404},
    "fund:visa_check": EXECUTORS_ONLY | {"executor_applicant": 404},
    "fund:stage_proposal": EXECUTORS_ONLY,
    "fund:release": EXECUTORS_ONLY,
    **dict.fromkeys(
        (
            "fund:add_booking",
            "fund:cancel_all",
            "fund:out_of_pocket",
            "fund:booking_status",
            "fund:settle",
        ),
        MONEY,
    ),
    "conferences:follow": MEMBERS_ONLY,
    "conferences:unfollow": MEMBERS_ONLY,
    "communities:payment_refund": MONEY,
    # Read-only pages and feeds (GET only); the zone form only sets a cookie.
    **dict.fromkeys(
        ("events:index", "events:past", "events:detail", "events:event_ics", "events:feed"),
        cells(405, 405),
    ),
    "events:personal_feed": cells(405, 405),
    "events:publish": ACCRA_ORGANISERS,
    "events:announce": ACCRA_ORGANISERS,
    # Any member may answer; one without an RSVP or an offer is told so and nothing changes.
    **dict.fromkeys(
        ("events:rsvp", "events:cancel_rsvp", "events:confirm_seat"), cells(LOGIN, ANY)
    ),
    "fund:withdraw": OWN_APPLICATION,
    "fund:reply": OWN_APPLICATION,
    "fund:passport_name": OWN_APPLICATION,
    "fund:visa_outcome": OWN_APPLICATION,
    "fund:trip_report": OWN_APPLICATION,
    # Local communities: the directory and a community's page are read-only; any member
    # joins, follows or leaves; executors decide, add and remove leaders, close.
    **dict.fromkeys(("communities:index", "communities:detail"), cells(405, 405)),
    **dict.fromkeys(
        ("communities:join", "communities:follow", "communities:leave"), cells(LOGIN, ANY)
    ),
    **dict.fromkeys(
        (
            "communities:approve",
            "communities:decline",
            "communities:add_leader",
            "communities:remove_leader",
            "communities:close",
        ),
        EXECUTORS_ONLY,
    ),
    # Learning: the pages only read; signing up is any member's, an enrolment its member's.
    **dict.fromkeys(
        ("learning:index", "learning:detail", "learning:mine", "learning:host"), cells(405, 405)
    ),
    "learning:sign_up": cells(LOGIN, ANY),
    **dict.fromkeys(
        ("learning:withdraw", "learning:show_completion"), cells(LOGIN, 404, target=ANY)
    ),
    "learning:attendance": cells(LOGIN, 404, leader=ANY, **dict.fromkeys(EXECUTORS, ANY)),
    **dict.fromkeys(
        (
            "learning:cohort_edit",
            "learning:materials",
            "learning:material_edit",
            "learning:material_remove",
        ),
        cells(LOGIN, 404, leader=ANY, **dict.fromkeys(EXECUTORS, ANY)),
    ),
    "learning:manage": EXECUTORS_ONLY | dict.fromkeys(EXECUTORS, 405),
    **dict.fromkeys(
        ("learning:programme_new", "learning:programme_edit", "learning:cohort_new"),
        EXECUTORS_ONLY | dict.fromkeys(EXECUTORS, ANY),
    ),
    # Sponsored tickets: an entry is answered by its entrant only (samples: the member's
    # offer, the target's entry in the open draw); the draw's pages are read-only.
    "communities:ticket_confirm": cells(LOGIN, 404, member=ANY),
    "communities:ticket_decline": cells(LOGIN, 404, member=ANY),
    "communities:ticket_withdraw": cells(LOGIN, 404, target=ANY),
    **dict.fromkeys(
        ("communities:draw_by_name", "communities:draw_issued"),
        cells(LOGIN, 404, leader=ANY, **dict.fromkeys(EXECUTORS, ANY)),
    ),
    **dict.fromkeys(
        ("communities:draw", "communities:draw_json", "communities:verify_script"),
        cells(405, 405),
    ),
    # Sponsorship: the leader sends, withdraws and completes Accra's requests (executors
    # complete too); Lagos's leader gets 404; executors decide.
    **dict.fromkeys(
        ("communities:sponsorship_submit", "communities:sponsorship_withdraw"), ACCRA_SPONSORSHIP
    ),
    "communities:sponsorship_complete": ACCRA_SPONSORSHIP | dict.fromkeys(EXECUTORS, 200),
    **dict.fromkeys(SPONSORSHIP_DECISIONS, EXECUTORS_ONLY),
    # The public list answers POST like GET (it is not cached then).
    **dict.fromkeys(("communities:sponsored", "communities:sponsored_year"), PUBLIC),
    # Partners: the public pages and the member's lists only read; any member may claim
    # (one already holding it, or not eligible, is told so and nothing is written).
    **dict.fromkeys(("partners:index", "partners:detail"), cells(405, 405)),
    **dict.fromkeys(("partners:offers", "partners:mine"), cells(LOGIN, 405)),
    "partners:claim": cells(LOGIN, ANY),
    # Partners' management: executors act; Talk Python's people send and withdraw its offers.
    **dict.fromkeys(PARTNER_STAFF_POSTS, EXECUTORS_ONLY),
    **dict.fromkeys(("partners:offer_submit", "partners:offer_withdraw"), TALK_OFFERS),
    # Insights: every page only reads (405); staff count a region again.
    **dict.fromkeys(
        ("insights:public", "insights:map", "insights:chart", "insights:data", "insights:csv"),
        cells(405, 405),
    ),
    **dict.fromkeys(
        ("insights:staff", "insights:staff_map", "insights:staff_chart", "insights:staff_csv"),
        MONEY | dict.fromkeys((*TREASURERS, *EXECUTORS), 405),
    ),
    "insights:refresh": MONEY | dict.fromkeys((*TREASURERS, *EXECUTORS), ANY),
}


def expected_get(pattern):
    if pattern.key in GET:
        return GET[pattern.key]
    for prefix, row in GET_BY_PREFIX.items():
        if pattern.route.startswith(prefix):
            return row
    return None


def expected_post(pattern):
    if pattern.key in POST:
        return POST[pattern.key]
    row = expected_get(pattern)
    if row is None or 405 in row.values():
        return None  # a POST-only view needs its own row
    return row


def is_denial(expected):
    return expected not in ALLOWED


# What each POST sends. Payloads are valid for the form, so a missing guard would write
# and the unchanged-database check would catch it. A view that dispatches on a field
# (`action`, `answer`, a named button) is posted once per value.
def _today(days=0):
    return (timezone.now() + dt.timedelta(days=days)).date().isoformat()


def _new_round(w):
    return {
        "name": "Posted round", "slug": "posted-round", "description": "",
        "opens_at": "2030-01-01 00:00", "closes_at": "2030-02-01 00:00",
        "decision_date": "2030-03-01", "currency": "USD", "covered": ["flight"],
        "requires_leader": "on", "offer_reply_days": "10", "min_reviews": "2", "budget_amount": "1000",
    }  # fmt: skip


def _application(w):
    return {
        "event_choice": w.objects["event"].pk, "country": "NG", "passport_country": "NG",
        "purpose": "Posted", "give_back": "Posted", "event_grant": "not_applied",
        "currency": "USD", "cost_flight": "500",
    }  # fmt: skip


def _review(w):
    pk = w.objects["criterion"].pk
    return {f"score_{pk}": "2", f"note_{pk}": "posted", "comment": "posted"}


def _booking(w):
    return {
        "booking-category": "flight", "booking-vendor": "Posted air", "booking-reference": "P",
        "booking-description": "", "booking-starts_at": "", "booking-cost": "10",
        "booking-currency": "USD", "booking-rate": "1", "booking-status": "planned",
    }  # fmt: skip


def _conference_import(w):
    text = (
        b"Subject,Start Date,End Date,Location,Country,Talk Deadline,Website URL,Proposal URL\n"
        b'PyCon Posted,2027-08-12,2027-08-14,"Accra, Ghana",GHA,,https://posted.example/,\n'
    )
    return {
        "format": "python-organizers",
        "file": SimpleUploadedFile("conferences.csv", text, content_type="text/csv"),
    }


def _wait_times(w):
    text = b"post,country,visa_category,wait_days\nLagos,NG,B1/B2,100\n"
    return {
        "kind": "csv", "destination": "US", "as_of": _today(), "source": "posted",
        "file": SimpleUploadedFile("waits.csv", text, content_type="text/csv"),
    }  # fmt: skip


def _conference_suggestion(w):
    return {
        "name": "Posted Conf", "url": "https://posted.example.org", "starts_on": _today(100),
        "ends_on": _today(101), "country": "KE", "city": "Nairobi",
        "cfp_closes_date": _today(30), "cfp_closes_time": "23:59", "cfp_closes_zone": "AoE",
    }  # fmt: skip


def _new_event():
    return {
        "title": "Posted event", "summary": "Posted", "description": "", "language": "en",
        "kind": "online", "online_url": "https://discord.example/posted", "link_shown_to": "attendees",
        "time_zone": "Africa/Lagos", "date": _today(10), "start_time": "18:00",
        "duration_minutes": "60", "repeats": "weekly", "ends": "count", "count": "3", "capacity": "",
    }  # fmt: skip


def _draw_setup():
    now = timezone.localtime()
    return {
        "tickets": "2", "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
        "priority_1": "first_time", "priority_2": "", "priority_3": "", "confirm_days": "5",
        "randomness_source": "drand quicknet round 777", "confirm": "on",
    }  # fmt: skip


def _community_proposal():
    return {
        "name": "Posted community", "country": "GH", "city_name": "Accra", "language": "en",
        "description": "Posted", "website": "", "links": "",
    }  # fmt: skip


def _sponsorship_request():
    return {
        "event_choice": "", "title": "Posted day", "starts_on": _today(90), "ends_on": _today(90),
        "venue": "Hall", "country": "GH", "city_name": "Accra", "expected_attendance": "100",
        "ticket_price": "50", "ticket_currency": "USD", "tickets_requested": "10",
        "amount": "500", "organiser_name": "Posted Ltd", "organiser_contact": "posted@example.com",
        "organiser_details": "", "distribution": "lottery", "report_plan": "Posted",
    }  # fmt: skip


def _redemptions(w):
    """The target's seat, reported used today (the partner's CSV upload)."""
    text = f"reference,date\nS-{w.objects['seat_claim'].pk},{_today()}\n".encode()
    return {"file": SimpleUploadedFile("redemptions.csv", text, content_type="text/csv")}


class PageForm:
    """The page's own POST form as its WRITER sees it, with `changes` made to it."""

    def __init__(self, **changes):
        self.changes = changes


# key: {action label: payload(world) -> dict, or a PageForm}. A key not listed posts an
# empty form. The label "" means the view's single form.
ACTIONS = {
    "members:onboarding": {"": PageForm(display_name="Posted")},
    "members:edit_profile_about": {"": PageForm(display_name="Posted")},
    "members:edit_profile_where": {"": PageForm(country="GH")},
    "members:edit_profile_career": {"": PageForm(skill_level="expert")},
    "members:edit_profile_links": {"": PageForm(website="https://example.com/posted")},
    "members:edit_profile_privacy": {"": PageForm(links_visibility="3")},
    "members:contact": {
        "": lambda w: {
            "sender_name": "Posted",
            "sender_email": "posted@example.com",
            "about": "speaker",
            "message": "Posted",
        }
    },
    "members:delete_account": {"": lambda w: {"published": "remove", "confirm": "on"}},
    "members:staff_roles": {"": lambda w: {"roles": ["leader"], "reason": "posted"}},
    "members:staff_invite_revoke": {"": lambda w: {"confirm": "on"}},
    "members:staff_invites": {
        "": lambda w: {
            "groups": [w.objects["invite"].groups.first().pk],
            "days": "3",
            "max_uses": "1",
        }
    },
    "account_signup": {
        "": lambda w: {
            "email": "posted@example.com",
            "accept_code_of_conduct": "on",
            "affirm_identity": "on",
        }
    },
    "account_request_login_code": {"": lambda w: {"email": w.users["target"].email}},
    "account_confirm_login_code": {
        "": lambda w: {"code": "ABCDEF"},
        "resend": lambda w: {"action": "resend"},
    },
    "account_email": {"": lambda w: {"action_add": "", "email": "posted@example.com"}},
    "fund:manage": {"": _new_round},
    # The empty translation row's language list has no blank choice, so a browser sends
    # its first language and the row must be filled in (or the save fails).
    "fund:round_edit": {
        "": PageForm(
            description="Posted", **{"texts-0-language": "ha", "texts-0-description": "Posted"}
        )
    },
    "fund:apply": {
        "save": _application,
        "continue": lambda w: _application(w) | {"continue": "1"},
    },
    "fund:check_answers": {"": lambda w: {"consent": "on", "submit": "1"}},
    "fund:review": {"": _review},
    "fund:declare_conflict": {"": lambda w: {"reason": "posted", "confirm": "on"}},
    "fund:decide": {
        "": lambda w: {"outcome": "award", "reason": "posted", "award_flight": "5", "confirm": "on"}
    },
    "fund:stage_proposal": {"": lambda w: {"confirm": "on"}},
    "fund:release": {"": lambda w: {"confirm": "on"}},
    "fund:allow_few_reviews": {"": lambda w: {"few_reviews_reason": "posted"}},
    "fund:visa_check": {"": lambda w: {"verdict": "feasible", "source": "posted"}},
    "fund:money": {"": lambda w: {"currency": "GBP", "rate": "1.3", "as_of": _today()}},
    "fund:wait_times": {"": _wait_times},
    "conferences:import": {"": _conference_import},  # no dry run: imports at once
    "events:zone": {"": lambda w: {"zone": "Africa/Lagos", "next": "/events/"}},
    "events:create": {"": lambda w: _new_event()},
    "events:edit": {"": PageForm(title="Posted")},
    "events:publish": {"": lambda w: {"confirm": "on"}},
    "events:cancel_event": {"": lambda w: {"reason": "posted", "confirm": "on"}},
    "events:cancel_occurrence": {"": lambda w: {"reason": "posted", "confirm": "on"}},
    "events:move_occurrence": {"": lambda w: {"date": _today(20), "start_time": "10:00"}},
    "events:calendar_settings": {
        "create": lambda w: {"action": "create"},
        "reminders": lambda w: {"action": "reminders"},
        "renew": lambda w: {"action": "renew", "confirm": "on"},
    },
    "events:attendees": {
        "": lambda w: {"attended": [str(w.objects["rsvp_started_occurrence"].rsvps.get().pk)]}
    },
    "conferences:suggest": {"": _conference_suggestion},
    "conferences:speaking": {
        "": lambda w: {"title": "Posted talk", "consent": "on"},
        "remove": lambda w: {"remove": "1"},
    },
    "conferences:review": {
        "save": lambda w: _conference_suggestion(w) | {"action": "save"},
        "publish": lambda w: _conference_suggestion(w) | {"action": "publish"},
        "reject": lambda w: {"action": "reject", "reason": "Posted reason"},
    },
    "fund:add_booking": {"": _booking},
    "communities:payment": {
        "": lambda w: {
            "amount": "500",
            "currency": "USD",
            "rate": "",
            "reference": "POSTED-1",
            "date": _today(),
        }
    },
    "communities:payment_refund": {
        "": lambda w: {
            "amount": "100",
            "currency": "USD",
            "rate": "",
            "reason": "Posted",
            "reference": "",
            "date": _today(),
        }
    },
    "fund:booking_status": {"": lambda w: {"status": "used"}},
    "fund:cancel_all": {"": lambda w: {f"refund_{w.objects['booking'].pk}": "0", "confirm": "on"}},
    "fund:out_of_pocket": {
        "": lambda w: {
            "pocket-description": "posted",
            "pocket-amount": "10",
            "pocket-currency": "USD",
        }
    },
    "fund:reply": {
        "accept": lambda w: {"answer": "accept", "passport_name": "Posted Name"},
        "decline": lambda w: {"answer": "decline"},
    },
    "fund:passport_name": {"": lambda w: {"passport_name": "Posted Name"}},
    "fund:staff_letters": {"": lambda w: {"confirm": "on"}},
    "fund:visa_outcome": {
        "": lambda w: {"appointment_date": _today(20), "visa_decision": "granted"}
    },
    "fund:trip_report": {
        "": lambda w: {"summary": "posted", "brought_back": "posted", "people_reached": "3"}
    },
    "learning:attendance": {"": lambda w: {"attended": [w.objects["enrolment"].pk]}},
    **{
        key: {
            "": lambda w: {
                "kind": "book_club",
                "title": "Posted programme",
                "language": "en",
                "description": "posted",
                "status": "draft",
            }
        }
        for key in ("learning:programme_new", "learning:programme_edit")
    },
    **{
        key: {
            "": lambda w: {
                "name": "Posted cohort",
                "capacity": "7",
                "signup_opens_at": _today(1) + "T10:00",
                "signup_closes_at": _today(9) + "T10:00",
                "sessions_to_complete": "1",
            }
        }
        for key in ("learning:cohort_new", "learning:cohort_edit")
    },
    **{
        key: {"": lambda w: {"kind": "book", "title": "Posted book", "position": "1"}}
        for key in ("learning:materials", "learning:material_edit")
    },
    "learning:show_completion": {"": lambda w: {"shown": "on"}},
    "communities:ticket_apply": {"": lambda w: {"statement": "Posted"}},
    "communities:draw_setup": {"": lambda w: _draw_setup()},
    "communities:draw_run": {"": lambda w: {"randomness_value": "posted", "confirm": "on"}},
    "communities:draw_codes": {"": lambda w: {"codes": "POSTED-CODE"}},
    "communities:draw_by_name": {"": lambda w: {"entry": w.objects["confirmed_entry"].pk}},
    "communities:draw_issued": {"": lambda w: {"anyway": "on", "comment": "posted"}},
    "communities:draw_attendance": {"": lambda w: {"attended": [w.objects["came_entry"].pk]}},
    "communities:propose": {"": lambda w: _community_proposal()},
    "communities:edit": {"": PageForm(description="Posted")},
    "communities:new_event": {"": lambda w: _new_event()},
    "communities:approve": {"": lambda w: {"note": "posted"}},
    "communities:decline": {"": lambda w: {"note": "posted"}},
    "communities:add_leader": {"": lambda w: {"email": w.users["target"].email}},
    "communities:remove_leader": {"": lambda w: {"reason": "posted"}},
    "communities:close": {"": lambda w: {"reason": "posted", "confirm": "on"}},
    "communities:sponsorship_new": {"": lambda w: _sponsorship_request()},
    "communities:sponsorship_new_for": {"": lambda w: _sponsorship_request()},
    "communities:sponsorship_edit": {"": PageForm(title="Posted")},
    "communities:sponsorship_submit": {"": lambda w: {"justification": ""}},
    "communities:sponsorship_withdraw": {"": lambda w: {"comment": "posted", "confirm": "on"}},
    "communities:sponsorship_complete": {"": lambda w: {"report": "posted", "tickets_used": "3"}},
    "communities:sponsorship_approve": {
        "": lambda w: {"approve-amount_approved": "450", "approve-tickets_approved": "9"}
    },
    "communities:sponsorship_changes": {"": lambda w: {"changes-comment": "posted"}},
    "communities:sponsorship_decline": {"": lambda w: {"decline-comment": "posted"}},
    "communities:sponsorship_cancel": {"": lambda w: {"cancel-comment": "posted", "confirm": "on"}},
    "communities:sponsorship_policy": {"": PageForm(note="Posted", min_lead_days="60")},
    "partners:claim": {"": lambda w: {"consent": "on"}},  # sample: seats (consent needed)
    "partners:portal_redemptions": {"": _redemptions},
    "partners:portal_seats": {
        "provisioned": lambda w: {"seats": [w.objects["seat_claim"].pk], "action": "provisioned"},
        "used": lambda w: {"seats": [w.objects["seat_claim"].pk], "action": "used"},
    },
    "partners:manage_new": {
        "": lambda w: {"name": "Posted partner", "status": "active", "language": "en"}
    },
    "partners:manage_partner": {"": PageForm(gives_back="Posted")},
    "partners:person_add": {"": lambda w: {"email": w.users["member"].email}},
    "partners:person_remove": {"": lambda w: {"reason": "posted"}},
    "partners:offer_approve": {"": lambda w: {"reason": ""}},
    "partners:offer_reject": {"": lambda w: {"reason": "posted"}},
    "partners:claim_revoke": {"": lambda w: {"reason": "posted"}},
    "partners:claim_reissue": {"": lambda w: {"reason": "posted"}},
    "partners:offer_new": {
        "": lambda w: {
            "kind": "shared",
            "title": "Posted offer",
            "value": "10% off",
            "language": "en",
            "shared_code": "POSTED",
            "audience": "public",
        }
    },
    "partners:offer_edit": {"": PageForm(title="Posted")},
    "partners:offer_withdraw": {"": lambda w: {"confirm": "on"}},
    "partners:offer_codes": {"": lambda w: {"text": "POSTED-1\nPOSTED-2"}},
    "insights:refresh": {"": lambda w: {"region": "002"}},
    "admin/": {"": lambda w: {"post": "yes"}},  # a delete page deletes on this
}

# Who must actually change data with each POST: proof that the payload is one the view
# accepts, so that a denial which changes nothing means the guard held. Views whose
# POST writes nothing by design are listed in READ_ONLY_POST instead.
WRITER = {
    "insights:refresh": "treasurer",
    "events:rsvp": "member",
    "events:cancel_rsvp": "target",
    "events:confirm_seat": "target",
    "events:calendar_settings": "member",
    "events:attendees": "executor",
    **dict.fromkeys(
        (
            "events:create",
            "events:edit",
            "events:publish",
            "events:cancel_event",
            "events:cancel_occurrence",
            "events:move_occurrence",
        ),
        "executor",
    ),
    "members:onboarding": "member",
    **dict.fromkeys(PROFILE_SECTIONS, "member"),
    "members:contact": "anonymous",
    "members:delete_account": "member",
    "members:invite": "member",
    "members:connection_remove": "target",
    "members:staff_invites": "executor",
    "members:staff_roles": "executor",
    "members:staff_invite_revoke": "executor",
    "background:retry_email": "executor",
    "account_signup": "anonymous",
    "fund:manage": "executor",
    "fund:round_edit": "executor",
    "fund:apply": "leader",
    "fund:check_answers": "leader",
    "fund:review": "reviewer",
    "fund:declare_conflict": "reviewer",
    "fund:decide": "executor",
    "fund:stage_proposal": "executor",
    "fund:release": "executor",
    "fund:allow_few_reviews": "executor",
    "fund:visa_check": "executor",
    "fund:money": "treasurer",
    "fund:wait_times": "treasurer",
    "conferences:import": "executor",
    "conferences:suggest": "member",
    "conferences:speaking": "target",
    "conferences:follow": "member",
    "conferences:unfollow": "target",
    "conferences:review": "executor",
    "fund:add_booking": "treasurer",
    "communities:payment": "treasurer",
    "communities:payment_refund": "treasurer",
    "fund:booking_status": "treasurer",
    "fund:cancel_all": "treasurer",
    "fund:out_of_pocket": "treasurer",
    "fund:settle": "treasurer",
    "fund:withdraw": "target",
    "fund:reply": "target",
    "fund:passport_name": "target",
    "fund:staff_letters": "treasurer",
    "fund:visa_outcome": "target",
    "fund:trip_report": "target",
    "communities:propose": "member",
    "communities:edit": "leader",
    "communities:new_event": "leader",
    "communities:join": "member",
    "communities:follow": "member",
    "communities:leave": "target",
    **dict.fromkeys(
        (
            "communities:approve",
            "communities:decline",
            "communities:add_leader",
            "communities:remove_leader",
            "communities:close",
        ),
        "executor",
    ),
    "learning:sign_up": "member",
    "learning:withdraw": "target",
    "learning:show_completion": "target",
    "learning:attendance": "leader",
    **dict.fromkeys(
        ("learning:programme_new", "learning:programme_edit", "learning:cohort_new"), "executor"
    ),
    **dict.fromkeys(
        (
            "learning:cohort_edit",
            "learning:materials",
            "learning:material_edit",
            "learning:material_remove",
        ),
        "leader",
    ),
    "communities:ticket_apply": "member",
    "communities:ticket_confirm": "member",
    "communities:ticket_decline": "member",
    "communities:ticket_withdraw": "target",
    "partners:claim": "member",
    **dict.fromkeys(("partners:portal_redemptions", "partners:portal_seats"), "partner"),
    **dict.fromkeys(
        ("partners:manage_new", "partners:manage_partner", *PARTNER_STAFF_POSTS), "executor"
    ),
    **dict.fromkeys(
        (
            "partners:offer_new",
            "partners:offer_edit",
            "partners:offer_submit",
            "partners:offer_withdraw",
            "partners:offer_codes",
        ),
        "partner",
    ),
    **dict.fromkeys(
        (
            "communities:draw_setup",
            "communities:draw_run",
            "communities:draw_codes",
            "communities:draw_by_name",
            "communities:draw_issued",
            "communities:draw_attendance",
        ),
        "leader",
    ),
    **dict.fromkeys(
        (
            "communities:sponsorship_new",
            "communities:sponsorship_new_for",
            "communities:sponsorship_edit",
            "communities:sponsorship_submit",
            "communities:sponsorship_withdraw",
            "communities:sponsorship_complete",
        ),
        "leader",
    ),
    **dict.fromkeys((*SPONSORSHIP_DECISIONS, "communities:sponsorship_policy"), "executor"),
}
READ_ONLY_POST = {
    # Pages that answer POST like GET, or whose POST only touches the session or a mail
    # queue outside the database.
    "robots", "sitemap", "favicon", "healthz", "ready", "^media/(?P<path>.*)$",
    "pages:home", "pages:detail", "news:index", "news:feed", "news:tag", "news:detail",
    "members:expertise", "members:home", "members:directory", "members:profile",
    "members:edit_profile", "members:contact_sent",
    "members:connections", "members:connection_callback", "members:my_data",
    "members:staff_home", "members:staff_members", "members:staff_audit",
    "background:mail_and_jobs", "styleguide",
    "members:demo_sign_in",  # the world has no demo accounts to sign in as
    "members:connection_start",  # no provider is configured: back with a message
    "accounts/login/", "account_login", "account_logout", "account_inactive",
    "account_reauthenticate", "account_email_verification_sent", "account_change_password",
    "account_set_password", "account_reset_password", "account_reset_password_done",
    "account_reset_password_from_key", "account_reset_password_from_key_done",
    "account_request_login_code", "account_confirm_login_code",
    "account_email",  # adding an address waits in the session for its emailed code
    "fund:index", "fund:application", "fund:review_queue", "fund:committee", "fund:report",
    "fund:staff_letter_pdf", "fund:letter_check",
    "fund:letter", "fund:allocate", "fund:bookings", "fund:submitted",
    "conferences:index", "conferences:detail", "conferences:deadlines",
    "conferences:deadlines_ics", "conferences:moderate",
    "events:zone",  # sets a cookie, writes no row
    "events:mine",  # a page without a form of its own: POST is answered like GET
    "events:manage", "events:manage_event",  # lists: POST is answered like GET
    "events:announce",  # Discord is not configured in the matrix: refused with a message
    # The ledger's pages and the list of payments only read: POST is answered like GET.
    "ledger:overview", "ledger:entries", "ledger:entries_csv", "ledger:totals_csv",
    "communities:payments",
    "communities:mine", "communities:manage", "communities:manage_community",  # like GET
    "communities:tickets", "communities:draws_manage",  # lists: POST is answered like GET
    # Sponsorship's lists and pages without a form posting to themselves: like GET.
    "communities:sponsorship", "communities:sponsorship_request", "communities:sponsorship_review",
    "communities:sponsorship_review_request", "communities:sponsored", "communities:sponsored_year",
    # The partner portal's pages and CSVs only read: POST is answered like GET.
    "partners:portal", "partners:portal_offer", "partners:portal_offer_csv", "partners:portal_seats_csv",
    "partners:manage", "partners:offer_review",  # staff's lists: POST is answered like GET
}  # fmt: skip


def actions_for(pattern):
    if pattern.key in ACTIONS:
        return ACTIONS[pattern.key]
    for prefix, actions in ACTIONS.items():
        if prefix.endswith("/") and pattern.route.startswith(prefix):
            return actions
    return {"": lambda w: {}}


# Markers: who may see each one, and where ("*" anywhere; a name ending in "*" is a
# prefix). Nobody else may, anywhere. Executors see a private profile field (name,
# pronouns) only where the page records that very look in the audit log; that rule is
# in test_matrix.recorded_access, not here.
ANYWHERE = {"*"}
# The Fund's staff pages; executors see every application there (and the audit log).
FUND_STAFF = {
    "fund:manage", "fund:round_edit", "fund:allocate", "fund:decide", "fund:committee",
    "fund:bookings", "fund:money", "fund:report", "members:staff_audit", "admin:fund_*",
    "admin/fund/*", "fund:staff_letters",
}  # fmt: skip
# Travellers agree, when applying, that the Fund's staff who book for them see their name.
BOOKING_PAGES = {"fund:bookings", "fund:money", "fund:staff_letters"}
# The ledger's entries (and their CSV): what was paid, to whom, with its reference.
LEDGER_PAGES = {"ledger:entries", "ledger:entries_csv"}
# Pages that record the executor's look at a member's private fields.
RECORDING_PAGES = {
    "members:profile", "members:staff_members", "members:staff_roles",
    "admin:members_profile_change", "events:attendees",
    "communities:draw_codes", "communities:draw_attendance", "communities:draw_by_name",
    "learning:host", "learning:attendance",
}  # fmt: skip
# The members' directory is one page per audience (cached for all leaders and staff
# alike), so it shows what members share with "leaders and staff" without a record.
DIRECTORY = {"members:directory"}

_STAFF = dict.fromkeys(EXECUTORS, FUND_STAFF)
MAY_SEE = {
    # Shared with leaders and staff: leaders anywhere, executors only where recorded.
    "MARK-NAME": {
        "target": ANYWHERE,
        "leader": ANYWHERE,
        "other_leader": ANYWHERE,
        **dict.fromkeys(TREASURERS, BOOKING_PAGES),
        **dict.fromkeys(EXECUTORS, BOOKING_PAGES | DIRECTORY),
    },
    "MARK-PRONOUN": {
        "target": ANYWHERE,
        "leader": ANYWHERE,
        "other_leader": ANYWHERE,
        **dict.fromkeys(EXECUTORS, DIRECTORY),
    },
    # "Only me".
    "MARK-CITY": {"target": ANYWHERE},
    "MARK-BIO": {"target": ANYWHERE},
    "MARK-TOPIC": {"target": ANYWHERE},
    "MARK-GITHUB": {"target": ANYWHERE},
    "MARK-CONN": {"target": ANYWHERE},
    # The application: its author; the round's reviewers on the review page; Fund staff.
    # Not the treasurer, who books travel and does not need the case.
    **{
        marker: {"target": ANYWHERE, "reviewer": {"fund:review"}, **_STAFF}
        for marker in ("MARK-PURPOSE", "MARK-GIVEBACK", "MARK-GRANTNOTES")
    },
    # Another reviewer's comments: reviewers of the round once they have sent their own
    # review (the reviewer has), and Fund staff. Never the applicant.
    "MARK-REVIEWCOMMENT": {"reviewer": {"fund:review"}, **_STAFF},
    "MARK-SCORENOTE": {"reviewer": {"fund:review"}, **_STAFF},
    # A conflict's reason is "seen by staff only".
    "MARK-CONFLICT": _STAFF,
    # The decision's reason is sent to the applicant.
    "MARK-DECISION": {"target": ANYWHERE, **_STAFF},
    # Bookings and out-of-pocket costs: the traveller, the treasurer, Fund staff.
    **{
        marker: {"target": ANYWHERE, **dict.fromkeys(TREASURERS, BOOKING_PAGES), **_STAFF}
        for marker in ("MARK-VENDOR", "MARK-BOOKREF", "MARK-BOOKDESC", "MARK-POCKET")
    },
    # The ledger keeps what BPD paid for a booking, with its vendor and reference: for the
    # money staff (the treasurer and executors) on the ledger's entries and their CSV.
    **{
        marker: {
            "target": ANYWHERE,
            **dict.fromkeys(TREASURERS, BOOKING_PAGES | LEDGER_PAGES),
            **dict.fromkeys(EXECUTORS, FUND_STAFF | LEDGER_PAGES),
        }
        for marker in ("MARK-VENDOR", "MARK-BOOKREF")
    },
    # The trip report: its author and Fund staff.
    "MARK-REPORT": {"target": ANYWHERE, **_STAFF},
    "MARK-BROUGHT": {"target": ANYWHERE, **_STAFF},
    # A review of executor_applicant's own application (E1): Fund staff, except its
    # applicant, who never sees scores of their own application.
    "MARK-OWNREVIEW": {"executor": FUND_STAFF},
    # The name as in the passport: its owner, those who book and issue the letter, and
    # anyone checking the letter by its reference (the letter names them).
    "MARK-PASSNAME": {
        **{role: {"fund:letter_check"} for role in ROLES},
        "target": ANYWHERE,
        **dict.fromkeys(TREASURERS, BOOKING_PAGES | {"fund:letter_check"}),
        **dict.fromkeys(EXECUTORS, FUND_STAFF | {"fund:letter_check"}),
    },
    # A unique code the target claimed: shown only to its member (and in their export).
    "MARK-CODE": {"target": ANYWHERE},
}

# Where an entitled role must see a marker: proof that the markers are planted where
# pages show them, so that "not shown" means something.
MUST_SEE = [
    ("target", "members:edit_profile", "MARK-BIO"),
    ("leader", "members:profile", "MARK-NAME"),
    ("executor", "members:profile", "MARK-NAME"),
    ("reviewer", "fund:review", "MARK-PURPOSE"),
    ("reviewer", "fund:review", "MARK-REVIEWCOMMENT"),
    ("reviewer", "fund:review", "MARK-SCORENOTE"),
    ("target", "fund:application", "MARK-DECISION"),
    ("target", "fund:application", "MARK-VENDOR"),
    ("treasurer", "fund:bookings", "MARK-VENDOR"),
    ("treasurer", "fund:bookings", "MARK-POCKET"),
    ("treasurer", "ledger:entries", "MARK-VENDOR"),
    ("executor", "ledger:entries_csv", "MARK-BOOKREF"),
    ("executor", "fund:decide", "MARK-OWNREVIEW"),
    ("target", "fund:application", "MARK-PASSNAME"),
    ("treasurer", "fund:bookings", "MARK-PASSNAME"),
    ("treasurer", "fund:staff_letters", "MARK-PASSNAME"),
    ("anonymous", "fund:letter_check", "MARK-PASSNAME"),
    ("leader", "communities:draw_attendance", "MARK-NAME"),
    ("leader", "communities:draw_codes", "MARK-NAME"),
    ("target", "partners:mine", "MARK-CODE"),
]


def may_see(marker, role, key):
    for page in MAY_SEE[marker].get(role, ()):
        if page == "*" or page == key or (page.endswith("*") and key.startswith(page[:-1])):
            return True
    return False
