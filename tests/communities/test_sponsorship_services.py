"""Sponsorship requests through their services: every step allowed and refused (by state
and by role, the leader of another community included), comments, submission against
the rules, approval with the ledger (the pool, the override, nothing half-written),
versions of the policy, withdrawal and cancellation releasing money, completion, emails
in each person's language, and the audit log."""

import datetime as dt

import pytest
from django.utils import timezone

from bpd.audit.models import Entry as AuditEntry
from bpd.audit.verbs import Verb
from bpd.communities import policy as rules
from bpd.communities import sponsorship as services
from bpd.communities import workflow
from bpd.communities.models import Policy, RegionPool, SponsorshipRequest, Transition
from bpd.ledger import services as ledger
from bpd.ledger.models import Entry, Pool
from bpd.members.roles import Role
from tests.communities.sponsorship_factories import (
    SponsoredCommunityFactory,
    SponsorshipRequestFactory,
    executor,
    leader_of,
    request_data,
)
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
S = SponsorshipRequest.Status


@pytest.fixture
def community():
    return SponsoredCommunityFactory()


@pytest.fixture
def leader(community):
    return leader_of(community)


@pytest.fixture
def other_leader():
    return leader_of(SponsoredCommunityFactory(name="Python Lagos", slug="python-lagos"))


@pytest.fixture
def boss():
    return executor()


def people(community):
    """Everyone who might try a step, by the name the tests use."""
    return {
        "leader": leader_of(community),
        "other_leader": leader_of(SponsoredCommunityFactory()),
        "executor": executor(),
        "treasurer": ProfileFactory(user=UserFactory(roles=[Role.TREASURER])).user,
        "member": ProfileFactory().user,
    }


def take(name, request, by):
    """Take step `name` through its service, with arguments the step accepts."""
    return {
        "submit": lambda: services.submit(request=request, by=by),
        "request_changes": lambda: services.request_changes(
            request=request, by=by, comment=COMMENT
        ),
        "approve": lambda: services.approve(
            request=request,
            by=by,
            amount_approved=request.amount,
            tickets_approved=request.tickets_requested,
        ),
        "decline": lambda: services.decline(request=request, by=by, comment=COMMENT),
        "withdraw": lambda: services.withdraw(request=request, by=by),
        "cancel": lambda: services.cancel(request=request, by=by, comment=COMMENT),
        "complete": lambda: services.complete(
            request=request, by=by, report="It went well.", tickets_used=3
        ),
    }[name]()


COMMENT = "Seen by the community"
MINE = ["submit", "request_changes", "approve", "decline", "withdraw", "cancel", "complete"]
WHO = {  # the role each step is for
    "submit": "leader",
    "request_changes": "executor",
    "approve": "executor",
    "decline": "executor",
    "withdraw": "leader",
    "cancel": "executor",
    "complete": "leader",
}


def unchanged(request, status):
    request.refresh_from_db()
    return request.status == status and not Transition.objects.filter(request=request).exists()


# Every step, by state --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"),
    [(name, status) for name in MINE for status in workflow.STEPS[name].sources],
)
def test_each_step_goes_from_each_of_its_states(name, status):
    community = SponsoredCommunityFactory()
    who = people(community)
    request = SponsorshipRequestFactory(community=community, status=status)
    take(name, request, who[WHO[name]])
    request.refresh_from_db()
    assert request.status == workflow.STEPS[name].target
    step = Transition.objects.get(request=request)
    assert (step.name, step.from_status, step.to_status) == (name, status, request.status)
    assert AuditEntry.objects.filter(verb=Verb.REQUEST_TRANSITION, detail__step=name).exists()


@pytest.mark.parametrize(
    ("name", "status"),
    [
        (name, status)
        for name in MINE
        for status in S.values
        if status not in workflow.STEPS[name].sources
    ],
)
def test_each_step_is_refused_from_every_other_state(name, status):
    community = SponsoredCommunityFactory()
    who = people(community)
    request = SponsorshipRequestFactory(community=community, status=status)
    with pytest.raises(services.REFUSED):
        take(name, request, who[WHO[name]])
    assert unchanged(request, status)


@pytest.mark.parametrize(
    ("name", "role"),
    [
        (name, role)
        for name in MINE
        for role in ("leader", "other_leader", "executor", "treasurer", "member")
        if role != WHO[name] and not (name == "complete" and role == "executor")
    ],
)
def test_each_step_is_refused_to_whoever_it_is_not_for(name, role):
    community = SponsoredCommunityFactory()
    who = people(community)
    status = workflow.STEPS[name].sources[0]
    request = SponsorshipRequestFactory(community=community, status=status)
    with pytest.raises(services.REFUSED):
        take(name, request, who[role])
    assert unchanged(request, status)


def test_an_executor_may_complete_too(community, boss):
    request = SponsorshipRequestFactory(community=community, status=S.TICKETS_ISSUED)
    take("complete", request, boss)
    request.refresh_from_db()
    assert request.status == S.COMPLETED


# Drafts ----------------------------------------------------------------------------------


def test_a_leader_saves_a_draft_for_their_community(community, leader):
    request = services.save_draft(community=community, by=leader, data=request_data(community))
    assert request.status == S.DRAFT
    assert (request.created_by, request.country) == (leader, "GH")


def test_the_leader_of_another_community_cannot_save_one(community, other_leader):
    with pytest.raises(services.SponsorshipError):
        services.save_draft(community=community, by=other_leader, data=request_data(community))
    assert not SponsorshipRequest.objects.exists()


def test_a_request_can_be_changed_only_as_a_draft_or_when_sent_back(community, leader):
    for status in (S.DRAFT, S.CHANGES_REQUESTED):
        request = SponsorshipRequestFactory(community=community, status=status)
        services.save_draft(
            request=request,
            community=community,
            by=leader,
            data=request_data(community, title="New"),
        )
        request.refresh_from_db()
        assert request.title == "New"
    sent = SponsorshipRequestFactory(community=community, status=S.SUBMITTED, title="Kept")
    with pytest.raises(services.SponsorshipError):
        services.save_draft(
            request=sent, community=community, by=leader, data=request_data(community)
        )
    sent.refresh_from_db()
    assert sent.title == "Kept"


def test_writing_and_changing_a_request_is_audited_with_what_changed(community, leader):
    request = services.save_draft(community=community, by=leader, data=request_data(community))
    written = AuditEntry.objects.get(verb=Verb.REQUEST_SAVED)
    assert (written.actor, written.after["amount"], written.before) == (
        leader,
        request.amount,
        {},
    )

    data = request_data(community, amount=request.amount + 5000)
    services.save_draft(request=request, community=community, by=leader, data=data)
    changed = AuditEntry.objects.filter(verb=Verb.REQUEST_SAVED).latest("pk")
    assert changed.before == {"amount": request.amount}
    assert changed.after == {"amount": request.amount + 5000}

    services.save_draft(request=request, community=community, by=leader, data=data)
    assert AuditEntry.objects.filter(verb=Verb.REQUEST_SAVED).count() == 2  # nothing changed


# Submitting ------------------------------------------------------------------------------


def test_submitting_keeps_the_policy_version_and_the_checks(community, leader):
    request = SponsorshipRequestFactory(community=community)
    services.submit(request=request, by=leader)
    request.refresh_from_db()
    assert request.status == S.SUBMITTED
    assert request.submitted_policy == Policy.objects.get(version=1)
    assert request.submitted_at is not None
    assert [row["rule"] for row in request.submitted_checks][:2] == ["lead_time", "per_event"]
    assert all(row["ok"] for row in request.submitted_checks)


def test_a_hard_rule_broken_stops_the_submission(community, leader):
    short = timezone.localdate() + dt.timedelta(days=41)
    request = SponsorshipRequestFactory(community=community, starts_on=short, ends_on=short)
    with pytest.raises(services.SponsorshipError, match="cannot be set aside"):
        services.submit(request=request, by=leader, justification="Please")
    assert unchanged(request, S.DRAFT)
    assert request.submitted_policy is None


def test_the_boundary_day_can_be_submitted(community, leader):
    day = timezone.localdate() + dt.timedelta(days=42)
    request = SponsorshipRequestFactory(community=community, starts_on=day, ends_on=day)
    services.submit(request=request, by=leader)
    request.refresh_from_db()
    assert request.status == S.SUBMITTED


def test_a_soft_rule_broken_needs_a_justification(community, leader):
    # USD 1,100 for 100 expected attendees: beyond USD 10 each, which can be set aside.
    request = SponsorshipRequestFactory(community=community, amount=110_000, tickets_requested=12)
    with pytest.raises(services.SponsorshipError, match="say why"):
        services.submit(request=request, by=leader, justification="   ")
    assert unchanged(request, S.DRAFT)
    services.submit(request=request, by=leader, justification="Students travel far.")
    request.refresh_from_db()
    assert request.status == S.SUBMITTED
    assert request.justification == "Students travel far."
    broken = [row["rule"] for row in request.submitted_checks if not row["ok"]]
    assert broken == ["per_attendee"]


def test_sent_back_the_leader_changes_it_and_sends_it_again(community, leader, boss):
    request = SponsorshipRequestFactory(community=community)
    services.submit(request=request, by=leader)
    services.request_changes(request=request, by=boss, comment="Add the venue.")
    services.save_draft(
        request=request, community=community, by=leader,
        data=request_data(community, venue="Great hall"),
    )  # fmt: skip
    services.submit(request=request, by=leader)
    request.refresh_from_db()
    assert request.status == S.SUBMITTED
    assert list(request.transitions.values_list("name", flat=True)) == [
        "submit", "request_changes", "submit",
    ]  # fmt: skip


# Comments --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["request_changes", "decline", "cancel"])
def test_asking_for_changes_declining_and_cancelling_need_a_comment(community, boss, name):
    status = workflow.STEPS[name].sources[0]
    request = SponsorshipRequestFactory(community=community, status=status)
    service = {"request_changes": services.request_changes, "decline": services.decline,
               "cancel": services.cancel}[name]  # fmt: skip
    with pytest.raises(services.REFUSED, match="Say why"):
        service(request=request, by=boss, comment="  \n ")
    assert unchanged(request, status)
    service(request=request, by=boss, comment="Because.")
    assert request.transitions.get().comment == "Because."


# Approving -------------------------------------------------------------------------------


def submitted(community, **fields):
    return SponsorshipRequestFactory(community=community, status=S.SUBMITTED, **fields)


def test_approving_records_the_decision_and_commits_the_money(community, boss):
    request = submitted(community)
    services.approve(request=request, by=boss, amount_approved=40_000, tickets_approved=8)
    request.refresh_from_db()
    assert request.status == S.APPROVED
    assert (request.amount_approved, request.tickets_approved) == (40_000, 8)
    assert request.decided_by == boss
    assert request.decided_at is not None
    assert request.decided_policy == Policy.objects.get(version=1)
    entry = Entry.objects.get(source=rules.source_of(request))
    assert (entry.kind, entry.amount, entry.currency) == (Entry.Kind.COMMITMENT, 40_000, "USD")
    assert (entry.country, entry.region) == ("GH", "002")
    assert entry.pool.key == f"sponsorship:{request.starts_on.year}"
    assert entry.pool.budget == Policy.objects.get(version=1).pool_total


def test_approval_is_at_most_what_was_asked(community, boss):
    request = submitted(community)
    for amount, tickets in ((50_001, 10), (50_000, 11), (0, 10), (50_000, 0)):
        with pytest.raises(services.SponsorshipError):
            services.approve(
                request=request, by=boss, amount_approved=amount, tickets_approved=tickets
            )
    assert unchanged(request, S.SUBMITTED)


def test_a_rule_failing_now_needs_an_override_reason_which_is_audited(community, boss):
    request = submitted(community, amount=110_000, tickets_requested=12, justification="Far.")
    with pytest.raises(services.SponsorshipError, match="reason"):
        services.approve(request=request, by=boss, amount_approved=110_000, tickets_approved=12)
    assert unchanged(request, S.SUBMITTED)
    assert not Entry.objects.exists()
    services.approve(
        request=request, by=boss, amount_approved=110_000, tickets_approved=12,
        override_reason="Students travel from the north.",
    )  # fmt: skip
    request.refresh_from_db()
    assert request.override_reason == "Students travel from the north."
    audit = AuditEntry.objects.get(verb=Verb.RULE_OVERRIDDEN)
    assert audit.reason == "Students travel from the north."
    assert audit.detail["rules"] == ["per_attendee"]
    assert audit.actor == boss


def test_approving_less_can_bring_a_request_back_within_the_rules(community, boss):
    request = submitted(community, amount=110_000, tickets_requested=12, justification="Far.")
    services.approve(request=request, by=boss, amount_approved=100_000, tickets_approved=12)
    request.refresh_from_db()
    assert request.override_reason == ""
    assert not AuditEntry.objects.filter(verb=Verb.RULE_OVERRIDDEN).exists()


def _fill_pool(year, amount, country="KE"):
    policy = Policy.current()
    pool = services.year_pool(year, policy)
    ledger.record(
        pool=pool, kind=Entry.Kind.COMMITMENT, purpose="other", amount=amount, currency="USD",
        source="communities.request:999999", country=country,
    )  # fmt: skip
    return pool


def test_approval_may_take_the_last_unit_of_the_pool(community, boss):
    request = submitted(community)
    _fill_pool(request.starts_on.year, Policy.current().pool_total - 50_000)
    services.approve(request=request, by=boss, amount_approved=50_000, tickets_approved=10)
    request.refresh_from_db()
    assert request.status == S.APPROVED


def test_approval_beyond_the_pool_is_refused_and_writes_nothing(community, boss):
    request = submitted(community)
    pool = _fill_pool(request.starts_on.year, Policy.current().pool_total - 49_999)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(services.SponsorshipError, match="more than is left"):
        services.approve(
            request=request, by=boss, amount_approved=50_000, tickets_approved=10,
            override_reason="Even so.",
        )  # fmt: skip
    assert unchanged(request, S.SUBMITTED)
    assert request.decided_policy is None
    assert request.amount_approved is None
    assert Entry.objects.filter(pool=pool).count() == 1
    assert AuditEntry.objects.count() == audit_before


def test_approval_beyond_the_regions_share_is_refused(community, boss):
    policy = Policy.current()
    RegionPool.objects.create(policy=policy, region="002", amount=100_000)
    request = submitted(community)
    _fill_pool(request.starts_on.year, 50_001, country="NG")  # Nigeria: Africa too
    with pytest.raises(services.SponsorshipError, match="region"):
        services.approve(request=request, by=boss, amount_approved=50_000, tickets_approved=10)
    assert unchanged(request, S.SUBMITTED)
    # Another region's commitments do not count against Africa's share.
    other = submitted(SponsoredCommunityFactory(), amount=49_999)
    SponsorshipRequest.objects.filter(pk=other.pk).update(country="BR")
    other.refresh_from_db()
    services.approve(request=other, by=boss, amount_approved=49_999, tickets_approved=10)


# Versions of the policy ------------------------------------------------------------------


def new_version(by, **changes):
    values = services.policy_values(Policy.current())
    values.pop("currency")
    shares = values.pop("region_pools")
    return services.change_policy(
        by=by, data=values | changes, region_pools=shares, note="Tighter lead time."
    )


def test_a_decision_keeps_the_version_it_was_made_under(community, boss):
    first = submitted(community)
    services.approve(request=first, by=boss, amount_approved=50_000, tickets_approved=10)
    v2 = new_version(boss, min_lead_days=60)
    first.refresh_from_db()
    assert first.decided_policy.version == 1
    assert Policy.objects.get(version=1).min_lead_days == 42  # never edited in place
    second = submitted(community)
    services.approve(request=second, by=boss, amount_approved=50_000, tickets_approved=10)
    second.refresh_from_db()
    assert second.decided_policy == v2


def test_changing_the_policy_writes_a_new_version_and_audits_it(boss):
    Policy.current()
    values = services.policy_values(Policy.current())
    values.pop("currency"), values.pop("region_pools")
    created = services.change_policy(
        by=boss, data=values | {"pool_total": 3_000_000}, region_pools={"002": 1_000_000},
        note="A bigger pool, Africa's share.",
    )  # fmt: skip
    assert created.version == 2
    assert Policy.objects.count() == 2
    assert dict(created.region_pools.values_list("region", "amount")) == {"002": 1_000_000}
    entry = AuditEntry.objects.get(verb=Verb.POLICY_CHANGED)
    assert entry.before["pool_total"] == 2_000_000
    assert entry.after["pool_total"] == 3_000_000
    assert entry.after["region_pools"] == {"002": 1_000_000}
    assert entry.reason == "A bigger pool, Africa's share."


def test_a_new_version_needs_a_note(boss):
    values = services.policy_values(Policy.current())
    values.pop("currency"), values.pop("region_pools")
    with pytest.raises(services.SponsorshipError):
        services.change_policy(by=boss, data=values, region_pools={}, note=" ")
    assert Policy.objects.count() == 1


def test_this_years_pool_follows_a_new_total_unless_more_is_committed(community, boss):
    request = submitted(community)
    services.approve(request=request, by=boss, amount_approved=50_000, tickets_approved=10)
    today = request.starts_on  # the pool's year counts as this year
    values = services.policy_values(Policy.current())
    values.pop("currency"), values.pop("region_pools")
    services.change_policy(
        by=boss, data=values | {"pool_total": 60_000}, region_pools={}, note="Less.", today=today
    )
    pool = Pool.objects.get(key=f"sponsorship:{request.starts_on.year}")
    assert pool.budget == 60_000
    with pytest.raises(services.SponsorshipError, match="already committed"):
        services.change_policy(
            by=boss, data=values | {"pool_total": 49_999}, region_pools={}, note="Less.",
            today=today,
        )  # fmt: skip
    pool.refresh_from_db()
    assert pool.budget == 60_000
    assert Policy.objects.count() == 2


# Withdrawing, cancelling, completing -----------------------------------------------------


def approved(community, boss):
    request = submitted(community)
    services.approve(request=request, by=boss, amount_approved=50_000, tickets_approved=10)
    request.refresh_from_db()
    return request


def test_withdrawing_after_approval_releases_the_commitment(community, leader, boss):
    request = approved(community, boss)
    services.withdraw(request=request, by=leader, comment="Moved to next year.")
    assert ledger.committed_for(rules.source_of(request)) == {Pool.objects.get().pk: 0}
    release = Entry.objects.get(kind=Entry.Kind.RELEASE)
    assert release.amount == 50_000


def test_cancelling_releases_what_is_still_committed(community, boss):
    request = approved(community, boss)
    services.cancel(request=request, by=boss, comment="The event was called off.")
    request.refresh_from_db()
    assert request.status == S.CANCELLED
    assert sum(ledger.committed_for(rules.source_of(request)).values()) == 0


def test_completing_records_the_report_and_tickets_used(community, leader):
    request = SponsorshipRequestFactory(
        community=community, status=S.TICKETS_ISSUED, tickets_approved=8
    )
    with pytest.raises(services.SponsorshipError):
        services.complete(request=request, by=leader, report="Fine.", tickets_used=9)
    with pytest.raises(services.SponsorshipError):
        services.complete(request=request, by=leader, report=" ", tickets_used=8)
    assert unchanged(request, S.TICKETS_ISSUED)
    services.complete(request=request, by=leader, report="Eight came.", tickets_used=8)
    request.refresh_from_db()
    assert (request.status, request.tickets_used, request.outcome_report) == (
        S.COMPLETED, 8, "Eight came.",
    )  # fmt: skip


# Emails ----------------------------------------------------------------------------------


def html_of(message):
    return message.alternatives[0][0]


def test_submitting_emails_each_executor_in_their_language(
    community, leader, mailoutbox, django_capture_on_commit_callbacks
):
    french = executor(language="fr")
    english = executor(language="en")
    request = SponsorshipRequestFactory(community=community)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(request=request, by=leader)
    sent = {message.to[0]: message for message in mailoutbox}
    assert set(sent) == {french.email, english.email}
    assert 'lang="fr"' in html_of(sent[french.email])
    assert 'lang="en"' in html_of(sent[english.email])
    assert f"/fr/communities/sponsorship/review/{request.pk}/" in sent[french.email].body


@pytest.mark.parametrize(
    ("name", "status", "subject"),
    [
        ("approve", S.SUBMITTED, "approved"),
        ("decline", S.SUBMITTED, "declined"),
        ("request_changes", S.SUBMITTED, "Changes"),
        ("cancel", S.APPROVED, "cancelled"),
    ],
)
def test_decisions_email_the_communitys_leaders_in_their_language(
    name, status, subject, mailoutbox, django_capture_on_commit_callbacks
):
    community = SponsoredCommunityFactory()
    swahili = leader_of(community, language="sw")
    english = leader_of(community, language="en")
    leader_of(SponsoredCommunityFactory())  # another community's leader hears nothing
    request = SponsorshipRequestFactory(community=community, status=status)
    with django_capture_on_commit_callbacks(execute=True):
        take(name, request, executor())
    sent = {message.to[0]: message for message in mailoutbox}
    assert set(sent) == {swahili.email, english.email}
    assert 'lang="sw"' in html_of(sent[swahili.email])
    assert subject in sent[english.email].subject
    if name != "approve":
        assert COMMENT in sent[english.email].body  # the comment reaches them
        assert COMMENT in html_of(sent[swahili.email])


def test_a_refused_step_sends_no_email(
    community, leader, mailoutbox, django_capture_on_commit_callbacks
):
    executor()
    short = timezone.localdate() + dt.timedelta(days=3)
    request = SponsorshipRequestFactory(community=community, starts_on=short, ends_on=short)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.REFUSED):
        services.submit(request=request, by=leader)
    assert mailoutbox == []
