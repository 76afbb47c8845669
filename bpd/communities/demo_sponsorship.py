"""Demo sponsorship requests, one in each state a person meets: PyData Accra (the demo
leader's) has a draft, one waiting for executors and one approved; the other demo
communities have one sent back for changes, one approved with its money committed, one
declined, one withdrawn, and one held 200 days ago, paid and completed, for the public
list.

Made through the sponsorship services (the policy, the checks, the ledger commitments, the
transitions and the audit log are real), with `today` set back where an event must look
ahead at the time it was asked for. Development only; idempotent."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from bpd.communities import payments, workflow
from bpd.communities import sponsorship as services
from bpd.communities.demo import create_demo_communities
from bpd.communities.models import Community, Policy, SponsorshipRequest
from bpd.members.demo import demo_email
from bpd.members.models import User
from bpd.members.roles import Role

MARK = "(demo)"
S = SponsorshipRequest.Status


def _user(handle):
    return User.objects.filter(email=demo_email(handle)).first()


def _leader(community):
    return User.objects.filter(leaderships__community=community).order_by("pk").first()


def _data(community, title, *, days, amount, attendance=120, tickets=12, price=6_000, **extra):
    today = timezone.localdate()
    starts = today + dt.timedelta(days=days)
    slug = community.slug
    return {
        "event": None,
        "conference": None,
        "title": f"{title} {MARK}",
        "starts_on": starts,
        "ends_on": starts + dt.timedelta(days=1),
        "venue": "University main hall",
        "city": community.city,
        "expected_attendance": attendance,
        "ticket_price": price,
        "ticket_currency": "USD",
        "tickets_requested": tickets,
        "amount": amount,
        "organiser_name": f"{community.name} Events Ltd",
        "organiser_contact": f"invoices@{slug}.example.org",
        "organiser_details": f"{community.name} Events Ltd, {community.city.name}",
        "distribution": SponsorshipRequest.Distribution.LOTTERY,
        "report_plan": "How many members came on sponsored tickets, what they learnt, photos.",
        **extra,
    }


def create_demo_sponsorship() -> int:
    """Create the demo requests once; returns how many were made (0 when they exist, or
    when the demo communities or accounts are missing)."""
    if SponsorshipRequest.objects.filter(title__endswith=MARK).exists():
        return 0
    create_demo_communities()
    executor, treasurer = _user(Role.EXECUTOR.value), _user(Role.TREASURER.value)
    communities = {c.slug: c for c in Community.objects.active()}
    accra = communities.get("pydata-accra")
    others = [
        communities.get(slug)
        for slug in ("python-lagos", "python-nairobi", "python-kingston", "python-sao-paulo-negra")
    ]
    if executor is None or accra is None or None in others:
        return 0
    Policy.current()
    made = []

    def draft(community, title, **kwargs):
        request = services.save_draft(
            community=community,
            by=_leader(community),
            data=_data(community, title, **kwargs),
        )
        made.append(request)
        return request

    def send(request, justification="", today=None):
        return services.submit(
            request=request, by=_leader(request.community), justification=justification, today=today
        )

    # PyData Accra, the demo leader's: a draft, one waiting, one approved.
    draft(accra, "PyData Accra Data Day", days=75, amount=60_000, tickets=10)
    waiting = draft(accra, "PyCon Ghana", days=120, amount=140_000, attendance=300, tickets=20)
    send(waiting)
    approved = draft(accra, "PyData Accra workshop series", days=60, amount=40_000, tickets=8)
    send(approved)
    services.approve(
        request=approved, by=executor, amount_approved=36_000, tickets_approved=8,
        comment="Approved with a little less than asked: the venue is free.",
    )  # fmt: skip
    lagos, nairobi, kingston, sao_paulo = others
    # Sent back for changes: beyond the per-attendee rule, with a justification.
    changes = draft(
        lagos, "Python Lagos Summit", days=90, amount=120_000, attendance=100, tickets=12
    )
    send(changes, justification="Half the tickets go to students who travel from outside Lagos.")
    services.request_changes(
        request=changes, by=executor, comment="Please add the organiser's invoicing details."
    )
    # Approved: the money is committed in this year's (or next year's) pool.
    nairobi_day = draft(nairobi, "PyCon Kenya community day", days=70, amount=80_000, tickets=10)
    send(nairobi_day)
    services.approve(request=nairobi_day, by=executor, amount_approved=80_000, tickets_approved=10)
    declined = draft(kingston, "Python Kingston hack night", days=50, amount=30_000, tickets=5)
    send(declined)
    services.decline(
        request=declined,
        by=executor,
        comment="A hack night sells no tickets: ask the venue's sponsor for food instead.",
    )
    withdrawn = draft(sao_paulo, "Python Brasil caravan", days=100, amount=50_000, tickets=6)
    send(withdrawn)
    services.withdraw(
        request=withdrawn, by=_leader(sao_paulo), comment="The caravan moved to next year."
    )
    # Held 200 days ago, completed, for the public list: asked for and approved back then.
    held = timezone.localdate() - dt.timedelta(days=200)
    then = held - dt.timedelta(days=60)
    past = draft(
        lagos, "Python Lagos meetup day", days=0, amount=45_000, tickets=9,
        distribution=SponsorshipRequest.Distribution.COMMUNITY,
    )  # fmt: skip
    SponsorshipRequest.objects.filter(pk=past.pk).update(
        starts_on=held, ends_on=held, created_at=timezone.now() - dt.timedelta(days=260)
    )
    past.refresh_from_db()
    send(past, today=then)
    services.approve(
        request=past, by=executor, amount_approved=45_000, tickets_approved=9, today=then
    )
    past.refresh_from_db()
    # Paid by the treasurer (the payments' service), then the tickets handed out by the
    # community itself (no draw), so the report can be written.
    payments.record_payment(
        request=past, by=treasurer or executor, amount=45_000, currency="USD", rate=1,
        reference="INV-DEMO-0001", paid_on=then + dt.timedelta(days=20),
    )  # fmt: skip
    with transaction.atomic():
        locked = SponsorshipRequest.objects.select_for_update().get(pk=past.pk)
        workflow.move(locked, "issue_tickets", by=_leader(lagos))
    services.complete(
        request=past,
        by=_leader(lagos),
        report="Nine members came on sponsored tickets; three gave lightning talks.",
        tickets_used=8,
    )
    return len(made)
