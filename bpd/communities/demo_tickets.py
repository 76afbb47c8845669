"""Demo sponsored tickets for PyData Accra (the demo leader's community): one draw taking
applications now, with entries from demo members in Ghana, and one completed draw whose
event was yesterday: drawn from a fixed secret and a fixed "demo" randomness value (so its
draw.json verifies with verify_draw.py), two tickets passed on (one declined, one not
confirmed in time), four winners with their codes, attendance still to record.

Made through the models with the draw computed by `lottery` exactly as `tickets.run_draw`
does; the sponsorships are created paid (the ledger is not needed for the draw).
Development only; idempotent."""

import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone

from bpd.communities import lottery, tickets
from bpd.communities.models import (
    Community,
    Draw,
    Membership,
    SponsorshipRequest,
    TicketCode,
    TicketEntry,
)
from bpd.members.models import City, User

MARK = "(demo draw)"
S, E = SponsorshipRequest.Status, TicketEntry.Status
# Fixed so the demo draw is the same on every machine (a real draw's secret is random).
SECRET = hashlib.sha256(b"Black Python Devs demo draw").hexdigest()
SOURCE = "demo: drand quicknet round 12345678"
VALUE = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"


def _accra():
    community = Community.objects.filter(slug="pydata-accra").first()
    if community is not None:
        return community
    city = City.objects.filter(name="Accra", country="GH").order_by("-population").first()
    if city is None:
        return None
    community, _created = Community.objects.get_or_create(
        slug="pydata-accra",
        defaults={
            "name": "PyData Accra",
            "city": city,
            "country": "GH",
            "description": "Python and data in Accra.",
            "status": Community.Status.ACTIVE,
        },
    )
    return community


def _sponsorship(community, title, *, days, tickets_count, status):
    start = timezone.localdate() + dt.timedelta(days=days)
    return SponsorshipRequest.objects.create(
        community=community,
        title=f"{title} {MARK}",
        starts_on=start,
        ends_on=start + dt.timedelta(days=1),
        venue="University of Ghana, Great Hall",
        city=community.city,
        country=community.country,
        expected_attendance=250,
        ticket_price=4_000,
        ticket_currency="USD",
        tickets_requested=tickets_count,
        tickets_approved=tickets_count,
        amount=tickets_count * 4_000,
        amount_approved=tickets_count * 4_000,
        organiser_name="Ghana Python Events",
        organiser_contact="tickets@ghana-python.example.org",
        distribution=SponsorshipRequest.Distribution.LOTTERY,
        report_plan="Who came on a sponsored ticket and what they took home.",
        status=status,
        paid_at=timezone.localdate() - dt.timedelta(days=30),
    )


def _draw(request, *, tickets_count, opens, closes, priorities, secret, published):
    return Draw.objects.create(
        request=request,
        tickets=tickets_count,
        opens_at=opens,
        closes_at=closes,
        radius_km=150,
        priorities=priorities,
        confirm_days=5,
        algorithm=lottery.ALGORITHM,
        secret=secret,
        commitment=lottery.commit(secret),
        randomness_source=SOURCE,
        published_at=published,
        created_at=published,
    )


def create_demo_tickets(now=None) -> int:
    """Create the demo draws once; returns how many were made (0 when they exist, or when
    Accra, its city or the demo members in Ghana are missing)."""
    if SponsorshipRequest.objects.filter(title__endswith=MARK).exists():
        return 0
    community = _accra()
    people = list(
        User.objects.filter(email__startswith="demo-member0", profile__country="GH")
        .select_related("profile")
        .order_by("email")[:20]
    )
    if community is None or len(people) < 16:
        return 0
    now = now or timezone.now()
    with transaction.atomic():
        _completed(community, people[:12], now)
        _open(community, people[12:18], now)
    return 2


def _completed(community, people, now):
    request = _sponsorship(
        community, "PyCon Ghana", days=-1, tickets_count=4, status=S.TICKETS_ISSUED
    )
    drawn_at = now - dt.timedelta(days=20)
    draw = _draw(
        request,
        tickets_count=4,
        opens=now - dt.timedelta(days=40),
        closes=drawn_at - dt.timedelta(hours=2),
        priorities=[Draw.Tier.COMMUNITY_MEMBER],
        secret=SECRET,
        published=now - dt.timedelta(days=41),
    )
    members = set(
        Membership.objects.filter(
            community=community, kind=Membership.Kind.MEMBER, user__in=people
        ).values_list("user_id", flat=True)
    )
    entries = TicketEntry.objects.bulk_create(
        TicketEntry(
            draw=draw,
            number=number,
            user=person,
            tier=lottery.tier_for([person.pk in members]),
            created_at=draw.opens_at + dt.timedelta(hours=5 * number),
        )
        for number, person in enumerate(people, start=1)
    )
    seed = lottery.combined_seed(SECRET, SOURCE, VALUE)
    by_number = {entry.number: entry for entry in entries}
    ranked = lottery.keyed(seed, [(entry.number, entry.tier) for entry in entries])
    # The draw offered ranks 1-4; rank 2 declined (passed to 5), rank 4 did not confirm in
    # time (passed to 6): the winners are ranks 1, 3, 5 and 6, each with a code.
    outcome = {1: E.CONFIRMED, 2: E.DECLINED, 3: E.CONFIRMED, 4: E.LAPSED}
    outcome |= {5: E.CONFIRMED, 6: E.CONFIRMED}
    for rank, (_tier, key, number) in enumerate(ranked, start=1):
        entry = by_number[number]
        entry.key, entry.rank = key, rank
        entry.status = outcome.get(rank, E.WAITING)
        if entry.status != E.WAITING:
            offered = drawn_at if rank <= 4 else drawn_at + dt.timedelta(days=3)
            entry.offered_at = offered
            entry.confirm_by = offered + dt.timedelta(days=draw.confirm_days)
    TicketEntry.objects.bulk_update(entries, ["key", "rank", "status", "offered_at", "confirm_by"])
    draw.randomness_value, draw.seed, draw.drawn_at = VALUE, seed.hex(), drawn_at
    draw.save(update_fields=["randomness_value", "seed", "drawn_at"])
    winners = [
        entry for entry in sorted(entries, key=lambda e: e.rank) if entry.status == E.CONFIRMED
    ]
    TicketCode.objects.bulk_create(
        TicketCode(draw=draw, code=f"PYGH-DEMO-{index:03d}", entry=entry, assigned_at=drawn_at)
        for index, entry in enumerate(winners, start=1)
    )
    return draw


def _open(community, people, now):
    request = _sponsorship(community, "PyData Accra Day", days=40, tickets_count=6, status=S.PAID)
    draw = _draw(
        request,
        tickets_count=6,
        opens=now - dt.timedelta(days=2),
        closes=now + dt.timedelta(days=12),
        priorities=[Draw.Tier.FIRST_TIME, Draw.Tier.COMMUNITY_MEMBER],
        secret=lottery.new_secret(),
        published=now - dt.timedelta(days=3),
    )
    for person in people:
        tickets.apply(draw=draw, user=person, now=now)
    return draw
