"""Paying organisers: the treasurer records what BPD paid the organiser of an approved
sponsorship, and what came back after a cancellation.

Members never front money: BPD pays the organiser who invoices it, never the leader. A
payment is one transaction: the PAYMENT in the request's sponsorship pool (the year of the
event, "sponsorship:<year>"), the request's paid date, the workflow's "pay" step (which
checks that the request is approved and that the person is the treasurer, and writes the
Transition and its audit entry), an audit entry for the money, and, once committed, an
email to the community's leaders. A payment never takes more than the amount approved,
and `ledger.services.pay` commits first whatever it takes beyond what is committed for
the request (under the pool's lock, against the pool and the region's share), so money
paid never goes beyond the pool even when approvals and payments race.

A refund of a cancelled sponsorship is a REFUND entry with its reason, at most what was
paid and not refunded yet."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.communities import policy as rules
from bpd.communities import workflow
from bpd.communities.models import Policy, SponsorshipRequest
from bpd.communities.sponsorship import leaders_of, year_pool
from bpd.communities.workflow import WorkflowError
from bpd.ledger import money
from bpd.ledger import services as ledger
from bpd.ledger.models import Entry, Pool
from bpd.members import mail, regions

S = SponsorshipRequest.Status
# Paid, and maybe past it: tickets issued, completed, or cancelled afterwards.
PAID_OR_LATER = (S.PAID, S.TICKETS_ISSUED, S.COMPLETED, S.CANCELLED)
MAX_REFERENCE = 100
MAX_REASON = 500


class PaymentError(Exception):
    """A payment or refund refused; the message is for the treasurer."""


@dataclass(frozen=True)
class Paid:
    """What the ledger holds for one request, in its pool's currency (minor units)."""

    currency: str
    committed: int = 0
    paid: int = 0
    refunded: int = 0

    @property
    def outstanding(self):
        """Paid and not refunded."""
        return self.paid - self.refunded


def pool_of(request):
    """The request's sponsorship pool (made with the current policy's values if no
    approval made it yet), or None for a request without dates."""
    return Pool.objects.filter(key=rules.pool_key(request.starts_on.year)).first()


def ledger_figures(requests):
    """{request pk: Paid} for `requests` (one query): what is committed, paid and refunded
    for each in its year's pool."""
    by_source = {rules.source_of(r): r.pk for r in requests}
    if not by_source:
        return {}
    sums = ledger.net_by(Entry.objects.filter(source__in=by_source), "source", "pool__currency")
    figures = {}
    for (source, currency, kind), amount in sums.items():
        row = figures.setdefault(by_source[source], {"currency": currency})
        row[kind] = row.get(kind, 0) + amount
    return {
        pk: Paid(
            currency=row["currency"],
            committed=row.get(Entry.Kind.COMMITMENT, 0) - row.get(Entry.Kind.RELEASE, 0),
            paid=row.get(Entry.Kind.PAYMENT, 0),
            refunded=row.get(Entry.Kind.REFUND, 0),
        )
        for pk, row in figures.items()
    }


def _locked(request):
    """The request, locked with its community and city, before the pool is.

    Why those rows too: a payment updates the request twice (the "pay" step, the paid
    date), so at COMMIT PostgreSQL checks the request's foreign keys and share-locks its
    community and city. Anything holding those rows while it waits for the pool would
    then deadlock with a payment holding the pool; taking them first queues the two at
    the start instead (the approval locks the request's own row, so it queues there). FOR NO KEY UPDATE: foreign-key checks of others (a draw, a transition
    pointing at these rows) are never blocked by it."""
    return (
        SponsorshipRequest.objects.select_for_update(of=("self", "community", "city"), no_key=True)
        .select_related("community", "city", "decided_policy")
        .get(pk=request.pk)
    )


def _clean(*, amount, currency, reference, on, today, max_reference=MAX_REFERENCE):
    if amount is None or amount <= 0:
        raise PaymentError(_("Enter an amount of more than nothing."))
    if currency not in money.CURRENCIES:
        raise PaymentError(_("Choose a currency from the list."))
    if len(reference) > max_reference:
        raise PaymentError(
            _("Keep the reference under %(count)s characters.") % {"count": max_reference}
        )
    if on is None or on > today:
        raise PaymentError(_("The date cannot be in the future."))


def _pool(request):
    """The year's pool: made from the current policy when no approval made it."""
    policy = request.decided_policy or Policy.current()
    return year_pool(request.starts_on.year, policy)


def _region_budget(request):
    policy = request.decided_policy or Policy.current()
    return rules.region_pools(policy).get(regions.region_code(request.country, "region"))


def _in_pool(amount, currency, rate, pool):
    """(rate, `amount` in the pool's currency), the rate checked as the ledger checks it:
    required and above zero for another currency, 1 for the pool's own."""
    if currency == pool.currency and rate in (None, ""):
        rate = 1
    if rate in (None, ""):
        raise PaymentError(
            _("Give the exchange rate: how many %(pool)s one %(currency)s bought.")
            % {"pool": pool.currency, "currency": currency}
        )
    try:
        rate = ledger.check_rate(rate, currency, pool)
    except ledger.LedgerError as error:
        raise PaymentError(str(error)) from error
    return rate, money.convert(amount, currency, rate, pool.currency)


def record_payment(*, request, by, amount, currency, rate, reference, paid_on, today=None):
    """Record that BPD paid the organiser of the approved `request`: `amount` (minor
    units of `currency`), at `rate` to the pool's currency (required unless it is the
    pool's currency, which counts at 1), the organiser's invoice `reference`, on `paid_on`
    (not in the future). Returns the payment entry."""
    today = today or timezone.localdate()
    reference = (reference or "").strip()
    if not reference:
        raise PaymentError(_("Enter the organiser's invoice reference."))
    _clean(amount=amount, currency=currency, reference=reference, on=paid_on, today=today)
    with transaction.atomic():
        request = _locked(request)
        if request.status != S.APPROVED:
            raise PaymentError(
                _("Only an approved sponsorship is paid; this one is “%(status)s”.")
                % {"status": request.get_status_display()}
            )
        pool = _pool(request)
        rate, in_pool = _in_pool(amount, currency, rate, pool)
        source = rules.source_of(request)
        already = ledger.paid_for(source).get(pool.pk, 0)
        approved = request.amount_approved or 0
        if already + in_pool > approved:
            raise PaymentError(
                _(
                    "This is more than the amount approved (%(approved)s). Pay at most that, "
                    "or ask the executors to approve more. Nothing was recorded."
                )
                % {"approved": money.display(approved, pool.currency)}
            )
        try:
            workflow.move(request, "pay", by=by)
            entry = ledger.pay(
                pool=pool,
                source=source,
                purpose=f"Sponsorship: {request.title} ({request.community.name})",
                amount=amount,
                currency=currency,
                rate=rate,
                by=by,
                vendor=request.organiser_name,
                reference=reference,
                country=request.country,
                occurred_on=paid_on,
                region_budget=_region_budget(request),
            )
        except (WorkflowError, ledger.LedgerError) as error:
            raise PaymentError(str(error)) from error
        request.paid_at = paid_on
        request.save(update_fields=["paid_at", "updated_at"])
        _log(request, by, entry, pool)
        leaders = list(leaders_of(request.community))

        def tell():
            for leader in leaders:
                mail.send(
                    leader,
                    "communities/email/sponsorship_paid",
                    {
                        "sponsorship": request,
                        "community": request.community,
                        "entry": entry,
                        "organiser": request.organiser_name,
                        "title": request.title,
                    },
                )

        transaction.on_commit(tell)
    return entry


def record_refund(*, request, by, amount, currency, rate, reason, refunded_on, reference="",
                  today=None):  # fmt: skip
    """Record money the organiser of the cancelled `request` paid back: a REFUND in its
    pool, at most what was paid and not refunded yet, with the `reason`. Returns the entry."""
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    reference = (reference or "").strip()
    if not reason:
        raise PaymentError(_("Say what the refund is for."))
    if len(reason) > MAX_REASON:
        raise PaymentError(_("Keep the reason under %(count)s characters.") % {"count": MAX_REASON})
    _clean(amount=amount, currency=currency, reference=reference, on=refunded_on, today=today)
    with transaction.atomic():
        request = _locked(request)
        if request.status != S.CANCELLED:
            raise PaymentError(_("A refund is recorded for a cancelled sponsorship only."))
        pool = pool_of(request)
        source = rules.source_of(request)
        outstanding = ledger.paid_for(source).get(pool.pk, 0) if pool else 0
        if pool is None or outstanding <= 0:
            raise PaymentError(_("Nothing was paid for this sponsorship: there is no refund."))
        rate, in_pool = _in_pool(amount, currency, rate, pool)
        if in_pool > outstanding:
            raise PaymentError(
                _(
                    "A refund cannot be more than what was paid and not refunded yet "
                    "(%(outstanding)s). Nothing was recorded."
                )
                % {"outstanding": money.display(outstanding, pool.currency)}
            )
        try:
            entry = ledger.record(
                pool=pool,
                kind=Entry.Kind.REFUND,
                purpose=f"Sponsorship refund: {request.title} ({request.community.name})",
                amount=amount,
                currency=currency,
                rate=rate,
                source=source,
                by=by,
                vendor=request.organiser_name,
                reference=reference,
                country=request.country,
                occurred_on=refunded_on,
                note=reason,
            )
            # What came back is no longer spent: the commitment that held it is released,
            # so the pool can promise it again (cancelling kept the paid part committed).
            still = ledger.committed_for(source).get(pool.pk, 0)
            if min(in_pool, still) > 0:
                ledger.record(
                    pool=pool,
                    kind=Entry.Kind.RELEASE,
                    purpose=f"Sponsorship refunded: {request.title} ({request.community.name})",
                    amount=min(in_pool, still),
                    currency=pool.currency,
                    source=source,
                    by=by,
                    vendor=request.organiser_name,
                    country=request.country,
                    occurred_on=refunded_on,
                    note=reason,
                )
        except ledger.LedgerError as error:
            raise PaymentError(str(error)) from error
        _log(request, by, entry, pool, reason=reason)
    return entry


def _log(request, by, entry, pool, reason=""):
    audit.log(
        actor=by,
        verb=Verb.LEDGER_RECORDED,
        subject=request,
        parent=request.community,
        reason=reason,
        after={
            "kind": entry.kind,
            "amount": entry.amount,
            "currency": entry.currency,
            "rate": str(entry.rate),
            "amount_in_pool_currency": entry.amount_in_pool_currency,
            "pool_currency": pool.currency,
            "reference": entry.reference,
            "date": entry.occurred_on.isoformat(),
        },
        entry=entry.pk,
        pool=pool.key,
    )
