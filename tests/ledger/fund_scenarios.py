"""Fund money made the way people make it, through the Fund's services: awards offered,
accepted, declined and lapsed, the waiting list moving up, bookings in every status and
currency (cancelled before and after payment, refunds expected and received, larger and
smaller than expected), bookings above the award, out-of-pocket costs paid back in two
currencies, a refused visa with its bookings cancelled, trips completed."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from bpd.fund import services
from bpd.fund.models import Application, Booking, ExchangeRate
from bpd.fund.services import FundError
from tests.fund.conftest import make_application

S = Application.Status
COUNTRIES = ["NG", "GH", "KE", "ZA", "BR", "JM", "GB", "US", "SN", "TG"]
RATES = {"EUR": Decimal("1.08"), "GBP": Decimal("1.2712"), "NGN": Decimal("0.00066")}


def add_rates(round, rates=RATES):
    for currency, rate in rates.items():
        ExchangeRate.objects.update_or_create(
            round=round, currency=currency, defaults={"rate": rate, "as_of": timezone.localdate()}
        )


def move(booking, treasurer, *steps):
    """Move `booking` through `steps`: (status, {"expected_refund": …, "refunded": …})."""
    for status, amounts in steps:
        booking = services.set_booking_status(
            booking=Booking.objects.get(pk=booking.pk), status=status, actor=treasurer, **amounts
        )
    return booking


def every_status(application, treasurer):
    """One booking in each status and each way there, on `application` (accepted)."""
    book = lambda amount, currency="USD", **kw: services.add_booking(  # noqa: E731
        application=application, actor=treasurer, category="hotel", vendor="V", amount=amount,
        currency=currency, **kw,
    )  # fmt: skip
    book(1_000)  # planned
    move(book(1_100, "EUR"), treasurer, ("quoted", {}))
    move(book(1_200), treasurer, ("booked", {}))
    move(book(130_000, "NGN"), treasurer, ("booked", {}), ("used", {}))
    move(book(1_400), treasurer, ("quoted", {}), ("cancelled", {}))  # before payment: no loss
    move(book(1_500, refundable=True), treasurer, ("booked", {}), ("cancelled", {}))  # awaited
    more = book(1_600, "GBP")
    price = more.amount_in_round_currency
    move(
        more, treasurer, ("booked", {}), ("cancelled", {"expected_refund": price // 3}),
        ("refunded", {"refunded": price * 2 // 3}),  # more came back than expected
    )  # fmt: skip
    less = book(1_700)
    price = less.amount_in_round_currency
    move(
        less, treasurer, ("booked", {}), ("cancelled", {"expected_refund": price}),
        ("refunded", {"refunded": price // 8}),  # less came back: the loss grows
    )  # fmt: skip
    for currency in ("USD", "EUR", "NGN"):  # paid back in the round's currency and others
        item = services.record_out_of_pocket(
            application=application, actor=treasurer, description="Taxi", amount=2_500,
            currency=currency,
        )  # fmt: skip
        services.settle_out_of_pocket(item=item, actor=treasurer)
    services.record_out_of_pocket(
        application=application, actor=treasurer, description="Not yet", amount=100,
        currency="USD",
    )  # fmt: skip


def generate(round, event, executor, treasurer, *, seed, size=10):
    """Applications to `round` in every state money can be in; returns them."""
    rng = random.Random(seed)
    add_rates(round)
    applications = [
        make_application(
            round, event, country=rng.choice(COUNTRIES),
            costs={"flight": rng.randint(20_000, 60_000), "visa": rng.randint(5_000, 15_000)},
        )
        for _ in range(size)
    ]  # fmt: skip
    for application in applications:
        roll = rng.random()
        if roll < 0.65:
            items = {"flight": rng.randint(20_000, 60_000), "hotel": rng.randint(0, 20_000)}
            services.stage_decision(
                application=application, outcome="award", items=items, actor=executor
            )
        elif roll < 0.85:
            services.stage_decision(application=application, outcome="waitlist", actor=executor)
        else:
            services.stage_decision(application=application, outcome="decline", actor=executor)
    services.release_decisions(round=round, actor=executor)
    offered = Application.objects.filter(round=round, status=S.OFFERED).order_by("pk")
    for application in offered:
        roll = rng.random()
        if roll < 0.6:
            services.reply_to_offer(
                application=application, actor=application.applicant, accept=True,
                passport_name="Name As In Passport",
            )  # fmt: skip
        elif roll < 0.8:
            services.reply_to_offer(
                application=application, actor=application.applicant, accept=False
            )
    # The rest lapse (and the waiting list moves up again).
    services.lapse_overdue_offers(now=timezone.now() + dt.timedelta(days=60))
    travelling = list(Application.objects.filter(round=round, status=S.ACCEPTED).order_by("pk"))
    for index, application in enumerate(travelling):
        if index == 0:
            every_status(application, treasurer)
            continue
        _random_bookings(application, treasurer, rng)
        if rng.random() < 0.5:
            item = services.record_out_of_pocket(
                application=application, actor=treasurer, description="Taxi",
                amount=rng.randint(500, 5_000), currency=rng.choice(["USD", "EUR"]),
            )  # fmt: skip
            if rng.random() < 0.7:
                services.settle_out_of_pocket(item=item, actor=treasurer)
        if index == 1:
            services.record_visa_outcome(
                application=application, actor=treasurer, decision="refused"
            )
            services.cancel_after_refusal(application=application, actor=treasurer)
        elif rng.random() < 0.3:
            services.submit_report(
                application=application, actor=application.applicant, summary="Went",
                brought_back="Notes",
            )  # fmt: skip
    return applications


def _random_bookings(application, treasurer, rng):
    for _ in range(rng.randint(1, 4)):
        currency = rng.choice(["USD", "EUR", "NGN", "GBP"])
        amount = rng.randint(1_000, 40_000) if currency != "NGN" else rng.randint(1, 60) * 100_000
        try:
            booking = services.add_booking(
                application=application, actor=treasurer, category=rng.choice(["flight", "hotel"]),
                vendor=f"Vendor {rng.randint(1, 9)}", reference=f"R{rng.randint(100, 999)}",
                amount=amount, currency=currency, refundable=rng.random() < 0.5,
            )  # fmt: skip
        except FundError:
            continue  # above the cap or the budget: refused, as it should be
        price = booking.amount_in_round_currency
        path = rng.choice(["planned", "quoted", "booked", "used", "unpaid", "awaited", "refunded"])
        steps = {
            "planned": [],
            "quoted": [("quoted", {})],
            "booked": [("booked", {})],
            "used": [("booked", {}), ("used", {})],
            "unpaid": [("quoted", {}), ("cancelled", {})],
            "awaited": [("booked", {}), ("cancelled", {"expected_refund": rng.randint(0, price)})],
            "refunded": [
                ("booked", {}),
                ("cancelled", {"expected_refund": rng.randint(0, price)}),
                ("refunded", {"refunded": rng.randint(0, price)}),
            ],
        }[path]
        move(booking, treasurer, *steps)
