"""The Fund moves onto the platform's ledger: a pool per round and the entries its
records imply, so that no money record is lost (tests/ledger/test_fund_equality.py
shows every report figure is the same before and after).

What it writes is what `bpd.fund.ledger_sync` keeps up afterwards, worked out here from
the historical models (a migration must not depend on today's code):
- a pool "fund.round:<pk>" per round: its name, budget, currency, the year of its decisions;
- an award that was offered: a COMMITMENT of what it holds (the larger of the award and
  what its bookings use) on the day it was offered; if the offer was then declined or
  lapsed, a RELEASE of it on the day of the reply (or of the deadline);
- each booking BPD paid: a PAYMENT (cost, currency, rate, amount in the round's currency,
  vendor, reference) on the day it was recorded; its refund received: a REFUND; its loss:
  a LOSS (the Fund kept no date for those: they carry the day of this migration);
- each out-of-pocket cost paid back: a PAYMENT on the day it was paid back, at the round's
  rate for its currency. Without such a rate the migration stops and says which costs need
  one, rather than invent a rate or leave the money out.

Rounds whose pool already holds entries are left as they are (run twice, it adds nothing).
Reversing removes the Fund's pools and their entries."""

import datetime as dt
from decimal import Decimal

from django.db import migrations
from django.utils import timezone

FUNDED = {"offered", "accepted", "completed"}
RELEASED = {"offer_declined", "lapsed", "withdrawn"}
CLOSED = {"cancelled", "refunded"}
PAID = {"booked", "used"}
NOTE = "Brought over from the Fund's records (fund migration 0008)"


def _was_paid(booking):
    if booking.status in CLOSED:
        return bool(booking.loss or booking.expected_refund or booking.refunded)
    return booking.status in PAID


def _cost(booking):
    if booking.status in CLOSED:
        return booking.amount_in_round_currency - booking.refunded if _was_paid(booking) else 0
    return booking.amount_in_round_currency


def _day(value, fallback):
    if value is None:
        return fallback
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def forwards(apps, schema_editor):
    from bpd.ledger import money
    from bpd.members import regions

    Round = apps.get_model("fund", "Round")
    Application = apps.get_model("fund", "Application")
    ExchangeRate = apps.get_model("fund", "ExchangeRate")
    Pool = apps.get_model("ledger", "Pool")
    Entry = apps.get_model("ledger", "Entry")
    today = timezone.localdate()
    missing_rates = []
    for round in Round.objects.order_by("pk"):
        pool, _created = Pool.objects.get_or_create(
            key=f"fund.round:{round.pk}",
            defaults={
                "programme": "fund",
                "name": round.name[:200],
                "year": round.decision_date.year,
                "currency": round.currency,
                "budget": round.budget,
            },
        )
        if Entry.objects.filter(pool=pool).exists():
            continue
        rates = {r.currency: r.rate for r in ExchangeRate.objects.filter(round=round)}
        rates[round.currency] = Decimal(1)
        entries = []

        def entry(application, kind, source, purpose, amount, *, currency=None, rate=1,
                  in_pool=None, vendor="", reference="", on=today, note=NOTE):  # fmt: skip
            country = application.origin_country or ""
            entries.append(
                Entry(
                    pool=pool, programme="fund", kind=kind, purpose=purpose[:200],
                    vendor=vendor[:200], reference=reference[:100], amount=amount,
                    currency=currency or round.currency, rate=rate,
                    amount_in_pool_currency=amount if in_pool is None else in_pool,
                    country=country,
                    region=regions.region_code(country, "region") if country else "",
                    source=source, occurred_on=on, note=note,
                )
            )  # fmt: skip

        applications = (
            Application.objects.filter(round=round)
            .select_related("decision")
            .prefetch_related("decision__items", "bookings", "out_of_pocket")
            .order_by("pk")
        )
        for application in applications:
            decision = getattr(application, "decision", None)
            bookings = list(application.bookings.all())
            award = sum(i.amount for i in decision.items.all()) if decision else 0
            used = sum(_cost(b) for b in bookings)
            source = f"fund.application:{application.pk}"
            purpose = f"{round.name}: award, application #{application.pk}"
            offered_on = _day(decision.offered_at if decision else None, round.decision_date)
            if application.status in FUNDED:
                held = max(award, used)
                if held:
                    entry(application, "commitment", source, purpose, held, on=offered_on)
            elif application.status in RELEASED and decision and decision.offered_at and award:
                entry(application, "commitment", source, purpose, award, on=offered_on)
                released_on = _day(decision.replied_at or decision.offer_deadline, today)
                entry(application, "release", source, purpose, award, on=released_on)
            for booking in bookings:
                source = f"fund.booking:{booking.pk}"
                purpose = f"{round.name}: {booking.category}, application #{application.pk}"
                if _was_paid(booking) and (booking.amount or booking.amount_in_round_currency):
                    entry(
                        application, "payment", source, purpose, booking.amount,
                        currency=booking.currency, rate=booking.rate,
                        in_pool=booking.amount_in_round_currency, vendor=booking.vendor,
                        reference=booking.reference, on=_day(booking.created_at, today),
                    )  # fmt: skip
                if booking.refunded:
                    entry(application, "refund", source, purpose, booking.refunded)
                if booking.loss:
                    entry(application, "loss", source, purpose, booking.loss)
            for item in application.out_of_pocket.all():
                if not item.settled_at:
                    continue
                if item.currency not in rates:
                    missing_rates.append(f"{round.slug}: {item.currency} (cost #{item.pk})")
                    continue
                rate = rates[item.currency]
                entry(
                    application, "payment", f"fund.out_of_pocket:{item.pk}",
                    f"{round.name}: out-of-pocket cost paid back, application #{application.pk}",
                    item.amount, currency=item.currency, rate=rate,
                    in_pool=money.convert(item.amount, item.currency, rate, round.currency),
                    on=_day(item.settled_at, today),
                )  # fmt: skip
        Entry.objects.bulk_create(entries, batch_size=1000)
    if missing_rates:
        raise RuntimeError(
            "Out-of-pocket costs were paid back in currencies their round has no exchange "
            "rate for, so their money cannot be put in the round's pool. Set the rate on "
            "each round's money page, then migrate again: " + "; ".join(missing_rates)
        )


def backwards(apps, schema_editor):
    Pool = apps.get_model("ledger", "Pool")
    Entry = apps.get_model("ledger", "Entry")
    pools = Pool.objects.filter(key__startswith="fund.round:")
    Entry.objects.filter(pool__in=pools, reverses__isnull=False).delete()
    Entry.objects.filter(pool__in=pools).delete()
    pools.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("fund", "0007_event_becomes_conference"),
        ("ledger", "0002_entry_reverses"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
