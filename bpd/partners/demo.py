"""Demo partners: Talk Python Training (demo) with a public shared code and an offer
waiting for approval, Learn Python Press (demo) with a members-only pool of 200 unique
codes, and Cloud IDE (demo) with 20 seats reclaimed after 30 days unused. The demo partner
account acts for Talk Python Training (demo). Demo members hold claims made through
`claims.claim` over the last weeks (codes given, some reported redeemed; seats, one
provisioned; 14 claims of the shared code), so the member pages and the partner portal
have figures. Development only; idempotent."""

import datetime as dt
import random

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from bpd.members.demo import demo_email
from bpd.members.models import User
from bpd.members.roles import Role
from bpd.partners import claims
from bpd.partners.models import Claim, Code, Offer, Partner, PartnerPerson, Redemption

FIRST = "talk-python-training-demo"
NOTE = "Demo data"
A, K, PUBLIC, MEMBERS = Offer.Status.APPROVED, Offer.Kind, "public", "members"

PARTNERS = [
    {
        "name": "Talk Python Training (demo)", "slug": FIRST,
        "description": "Online Python courses, from your first program to data science and web "
                       "development, taught by practitioners. Watch at your own pace; every course "
                       "comes with its code.",
        "gives_back": "20% of every purchase made with the BPD code is donated to Black Python Devs.",
        "website": "https://training.example.org/",
        "links": "https://podcast.example.org/\nhttps://github.com/example-training",
    },
    {
        "name": "Learn Python Press (demo)", "slug": "learn-python-press-demo",
        "description": "Books on Python, testing and data, as e-books and in print.",
        "gives_back": "A free e-book for every member, and a share of sales to BPD's Fund.",
        "website": "https://press.example.org/",
    },
    {
        "name": "Cloud IDE (demo)", "slug": "cloud-ide-demo",
        "description": "A Python development environment in the browser, with a GPU when you "
                       "need one.",
        "gives_back": "Seats for members on its Pro plan, free for a year.",
        "website": "https://ide.example.org/",
    },
]  # fmt: skip


def _offers(now):
    """(partner slug, fields) of each demo offer."""
    return [
        (FIRST, {
            "kind": K.SHARED_CODE, "title": "10% off every course", "value": "10% off",
            "description": "Use the code at checkout on any course or bundle.",
            "shared_code": "BPD-DEMO-10", "url": "https://training.example.org/bpd",
            "audience": PUBLIC, "status": A,
        }),
        (FIRST, {
            "kind": K.LINK, "title": "A free month of the course library",
            "value": "a free month", "description": "Every course, free for a month.",
            "url": "https://training.example.org/bpd-month", "audience": MEMBERS,
            "status": Offer.Status.PENDING,
        }),
        ("learn-python-press-demo", {
            "kind": K.UNIQUE_CODES, "title": "A free e-book of your choice",
            "value": "a free e-book", "quantity": 200,
            "description": "Your code takes any one e-book from the catalogue to zero at checkout.",
            "url": "https://press.example.org/redeem", "audience": MEMBERS, "status": A,
            "ends_at": now + dt.timedelta(days=120),
        }),
        ("cloud-ide-demo", {
            "kind": K.SEATS, "title": "A year of the Pro plan", "value": "a free Pro seat",
            "quantity": 20, "reclaim_days": 30,
            "description": "The partner sets up a Pro seat on the email you agree to share. "
                           "A seat not used within 30 days goes back to the pool.",
            "url": "https://ide.example.org/", "audience": MEMBERS, "status": A,
        }),
    ]  # fmt: skip


def _codes(count, seed=2025):
    rng = random.Random(seed)
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return ["LPP-" + "".join(rng.choice(letters) for _ in range(10)) for _ in range(count)]


def create_demo_partners(now=None) -> int:
    """Create the demo partners once; returns how many were created (0 when they exist,
    or when the demo accounts are missing)."""
    if Partner.objects.filter(slug=FIRST).exists():
        return 0
    executor = User.objects.filter(email=demo_email(Role.EXECUTOR.value)).first()
    partner_user = User.objects.filter(email=demo_email(Role.PARTNER.value)).first()
    if executor is None or partner_user is None:
        return 0
    now = now or timezone.now()
    with transaction.atomic():
        partners = {
            data["slug"]: Partner.objects.create(**data, created_at=now - dt.timedelta(days=90))
            for data in PARTNERS
        }
        offers = {}
        for slug, data in _offers(now):
            approved = data["status"] == A
            offer = Offer.objects.create(
                partner=partners[slug], created_by=partner_user if slug == FIRST else executor,
                created_at=now - dt.timedelta(days=60 if approved else 2),
                decided_by=executor if approved else None,
                decided_at=now - dt.timedelta(days=45) if approved else None,
                **data,
            )  # fmt: skip
            offers[data["kind"]] = offer
        Code.objects.bulk_create(
            Code(offer=offers[K.UNIQUE_CODES], code=code) for code in _codes(200)
        )
        PartnerPerson.objects.create(partner=partners[FIRST], user=partner_user, added_by=executor)
        partner_user.groups.add(Group.objects.get_or_create(name=Role.PARTNER.value)[0])
    _claims(offers, now)
    return len(PARTNERS)


def _claims(offers, now):
    """Demo members' claims, spread over the last six weeks (through `claims.claim`, as a
    member's click makes them): 14 of the shared code (the demo partner's portal shows
    figures of 10 and more), 24 codes (6 reported redeemed), 3 seats (1 provisioned)."""
    people = list(
        User.objects.filter(email__startswith="demo-member0", profile__isnull=False).order_by(
            "email"
        )[100:144]
    )
    member = User.objects.filter(email=demo_email(Role.MEMBER.value)).first()
    holders = ([member] if member else []) + people[:23]
    given = []
    for number, user in enumerate(holders):
        when = now - dt.timedelta(days=42 - number * 42 // max(len(holders), 1), hours=number)
        try:
            given.append(claims.claim(offer=offers[K.UNIQUE_CODES], user=user, now=when))
        except claims.ClaimError:
            continue  # a member the offer's rules leave out: the demo has fewer claims
    for number, claim in enumerate(given[1:7]):
        day = (claim.claimed_at + dt.timedelta(days=2 + number)).date()
        Code.objects.filter(claim=claim).update(redeemed_at=claim.claimed_at + dt.timedelta(days=2))
        Redemption.objects.create(
            offer=claim.offer, claim=claim, reference=claim.code.code, redeemed_on=day
        )
    seats = []
    for number, user in enumerate(people[23:26]):
        when = now - dt.timedelta(days=20 - 5 * number)
        try:
            seats.append(claims.claim(offer=offers[K.SEATS], user=user, consent=True, now=when))
        except claims.ClaimError:
            continue
    for number, user in enumerate(people[26:40]):
        when = now - dt.timedelta(days=40 - 3 * number, hours=number)
        try:
            claims.claim(offer=offers[K.SHARED_CODE], user=user, now=when)
        except claims.ClaimError:
            continue
    if seats:
        Claim.objects.filter(pk=seats[0].pk).update(
            provisioned_at=seats[0].claimed_at + dt.timedelta(days=1)
        )
