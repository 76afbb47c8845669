"""The Fund's money in the platform's ledger (`bpd.ledger`).

Every round has a pool, "fund.round:<pk>": the round's name, budget and currency, in the
year of its decisions. The Fund's own records (decisions and their award items, bookings,
out-of-pocket costs) stay what the Fund works from, because they hold what the ledger does
not: what a booking is for, a refund expected and not yet received, the award per
category. The ledger holds the money they move, and `sync_application` keeps the two equal
inside the transaction of every Fund service that moves money:

- the award: a COMMITMENT of what the application holds (`ApplicationMoney.committed`, the
  larger of the award and what its bookings use) while it is offered, accepted or
  completed; a RELEASE when the offer is declined, lapses or the application is withdrawn;
- each booking BPD paid: a PAYMENT of its cost, in its currency, at its rate, with the
  amount in the round's currency the Fund worked out, its vendor and reference; the refund
  received for it: a REFUND; its loss: a LOSS;
- each out-of-pocket cost paid back to the traveller: a PAYMENT, at the round's rate for
  its currency.

Correcting entries, not delete-and-recreate. The ledger is append-only in spirit: what was
recorded stays, so the history of a round's money can be read back and audited. The
commitment moves by its difference (a further commitment or a release). Any other entry
that no longer matches the records (a loss that changed when the refund came back) is
reversed (`ledger.services.reverse`) and the right one recorded after it. Running the sync
twice adds nothing; running it after a failed or missed one puts the ledger right.

Every sync takes the pool's row lock before it reads the records, so two syncs of one
round (two bookings of one traveller changed at once) are taken one after the other and
the second sees what the first wrote. The locks are always taken round first, then pool.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from bpd.fund import selectors
from bpd.fund.models import Application, ExchangeRate
from bpd.ledger import money
from bpd.ledger import services as ledger
from bpd.ledger.models import Entry, Programme

K = Entry.Kind
S = Application.Status
CORRECTION = "Corrected to match the Fund's records"


def application_source(application):
    return f"fund.application:{application.pk}"


def booking_source(booking):
    return f"{selectors.BOOKING_SOURCE}{booking.pk}"


def out_of_pocket_source(item):
    return f"fund.out_of_pocket:{item.pk}"


def sync_round(round):
    """The round's pool, made or brought in line with the round (name, budget, currency,
    year). Called when a round is saved, and by every sync."""
    return ledger.align_pool(
        programme=Programme.FUND,
        key=selectors.ledger_key(round),
        name=round.name,
        year=round.decision_date.year,
        currency=round.currency,
        budget=round.budget,
    )


@dataclass(frozen=True)
class Posting:
    """One entry the ledger should hold (other than the commitment)."""

    source: str
    kind: str
    purpose: str
    amount: int
    currency: str
    rate: Decimal
    in_pool: int
    vendor: str = ""
    reference: str = ""

    def matches(self, entry):
        return (
            entry.amount,
            entry.currency,
            Decimal(entry.rate),
            entry.amount_in_pool_currency,
            entry.vendor,
            entry.reference,
        ) == (
            self.amount,
            self.currency,
            Decimal(self.rate),
            self.in_pool,
            self.vendor[:200],
            self.reference[:100],
        )


def _rate(round, currency, rates):
    if currency == round.currency:
        return Decimal(1)
    if currency not in rates:
        raise ledger.LedgerError(
            _(
                "This round has no exchange rate for %(currency)s yet: set it on the round's "
                "money page first. Nothing was recorded."
            )
            % {"currency": currency}
        )
    return rates[currency]


def postings(application):
    """What the ledger should hold for `application` besides its commitment, by
    (source, kind). The application's bookings and out-of-pocket costs prefetched or not."""
    round = application.round
    out = {}

    def add(posting):
        if posting.amount or posting.in_pool:
            out[(posting.source, posting.kind)] = posting

    for booking in application.bookings.all():
        source = booking_source(booking)
        purpose = f"{round.name}: {booking.category}, application #{application.pk}"
        if booking.was_paid:
            add(
                Posting(
                    source, K.PAYMENT, purpose, booking.amount, booking.currency,
                    booking.rate, booking.amount_in_round_currency, booking.vendor,
                    booking.reference,
                )
            )  # fmt: skip
        for kind, amount in ((K.REFUND, booking.refunded), (K.LOSS, booking.loss)):
            add(Posting(source, kind, purpose, amount, round.currency, Decimal(1), amount))
    settled = [item for item in application.out_of_pocket.all() if item.settled_at]
    rates = (
        {rate.currency: rate.rate for rate in ExchangeRate.objects.filter(round=round)}
        if any(item.currency != round.currency for item in settled)
        else {}
    )
    for item in settled:
        rate = _rate(round, item.currency, rates)
        purpose = f"{round.name}: out-of-pocket cost paid back, application #{application.pk}"
        add(
            Posting(
                out_of_pocket_source(item), K.PAYMENT, purpose, item.amount, item.currency,
                rate, money.convert(item.amount, item.currency, rate, round.currency),
            )
        )  # fmt: skip
    return out


def target_commitment(application):
    """What `application` holds of its round's budget: the Fund's own definition."""
    if application.status not in S.FUNDED:
        return 0
    return selectors.application_money(application).committed


def _load(application):
    return (
        Application.objects.select_related("round", "decision")
        .prefetch_related("decision__items", "bookings", "out_of_pocket")
        .get(pk=application.pk)
    )


def sync_application(application, *, by=None):
    """Make the ledger's entries for `application` match its Fund records, by correcting
    entries only (see the module's docstring). Runs inside the caller's transaction (and
    makes one if there is none). Returns the entries written."""
    with transaction.atomic():
        pool = sync_round(_load(application).round)
        pool = ledger.lock_pool(pool.pk)
        # Read after the lock: a sync that held it before us has committed by now.
        application = _load(application)
        written = _sync_commitment(application, pool, by)
        written += _sync_postings(application, pool, by)
    return written


def _sync_commitment(application, pool, by):
    source = application_source(application)
    held = {}
    commitments = Entry.objects.filter(pool=pool, source=source, kind__in=[K.COMMITMENT, K.RELEASE])
    for (country, kind), total in ledger.net_by(commitments, "country").items():
        held[country] = held.get(country, 0) + (total if kind == K.COMMITMENT else -total)
    target = target_commitment(application)
    wanted = {application.origin_country: target} if target else {}
    # Releases first: money moving from one country's figure to another's never needs
    # room in the pool twice.
    changes = sorted(
        (wanted.get(country, 0) - held.get(country, 0), country)
        for country in set(held) | set(wanted)
    )
    written = []
    purpose = f"{application.round.name}: award, application #{application.pk}"
    for difference, country in changes:
        if not difference:
            continue
        written.append(
            ledger.record(
                pool=pool,
                kind=K.COMMITMENT if difference > 0 else K.RELEASE,
                purpose=purpose,
                amount=abs(difference),
                currency=pool.currency,
                source=source,
                by=by,
                country=country,
            )
        )
    return written


def _sync_postings(application, pool, by):
    wanted = postings(application)
    sources = {source for source, _kind in wanted}
    sources |= {booking_source(b) for b in application.bookings.all()}
    sources |= {out_of_pocket_source(o) for o in application.out_of_pocket.all()}
    live = {}
    current = Entry.objects.filter(
        pool=pool,
        source__in=sources,
        kind__in=[K.PAYMENT, K.REFUND, K.LOSS],
        reverses__isnull=True,
        reversed_by__isnull=True,
    ).order_by("pk")
    for entry in current:
        live.setdefault((entry.source, entry.kind), []).append(entry)
    written = []
    order = {K.PAYMENT: 0, K.REFUND: 1, K.LOSS: 2}  # as the money moved: paid, back, lost
    for key in sorted(set(live) | set(wanted), key=lambda k: (k[0], order[k[1]])):
        posting, entries = wanted.get(key), live.get(key, [])
        if posting and len(entries) == 1 and posting.matches(entries[0]):
            continue
        for entry in entries:
            written.append(ledger.reverse(entry=entry, by=by, note=CORRECTION))
        if posting:
            written.append(
                ledger.record(
                    pool=pool,
                    kind=posting.kind,
                    purpose=posting.purpose,
                    amount=posting.amount,
                    currency=posting.currency,
                    rate=posting.rate,
                    amount_in_pool_currency=posting.in_pool,
                    source=posting.source,
                    by=by,
                    vendor=posting.vendor,
                    reference=posting.reference,
                    country=application.origin_country,
                )
            )
    return written
