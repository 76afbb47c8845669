"""One money record for the platform: every programme's commitments, payments, refunds
and losses, each against a pool (a Fund round's budget, a year's sponsorship pool).

Amounts are integers in the currency's minor units (`bpd.ledger.money`). Every entry
keeps what was paid in its own currency, the rate used and the amount in the pool's
currency, plus the region and country of the members the money serves, so figures can
be added up per programme, per year and per place without converting twice."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Programme(models.TextChoices):
    FUND = "fund", _("Black Leadership Opportunity Fund")
    SPONSORSHIP = "sponsorship", _("Local community sponsorship")


class Pool(models.Model):
    """Money set aside for one purpose and period: its budget is a hard ceiling on what
    may be committed against it (`bpd.ledger.services.commit` holds the row lock)."""

    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    # A stable name for the thing the pool belongs to: "fund.round:7", "sponsorship:2027".
    # A share of a pool for one region (the sponsorship policy's region pools) is not a
    # pool of its own: it is checked over the pool's entries for that region.
    key = models.CharField(max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveIntegerField(_("year"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    budget = models.BigIntegerField(_("budget (minor units)"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-year", "programme", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="pool_not_negative")
        ]
        verbose_name = _("pool")

    def __str__(self):
        return self.name


class Entry(models.Model):
    """One movement of money. Commitments and releases change what is promised;
    payments, refunds and losses what actually left and came back."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("Commitment")
        RELEASE = "release", _("Commitment released")
        PAYMENT = "payment", _("Payment")
        REFUND = "refund", _("Refund")
        LOSS = "loss", _("Loss")

    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="entries")
    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    purpose = models.CharField(_("purpose"), max_length=200)
    vendor = models.CharField(_("paid to"), max_length=200, blank=True)
    reference = models.CharField(_("invoice or booking reference"), max_length=100, blank=True)
    amount = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    rate = models.DecimalField(
        _("exchange rate to the pool's currency"), max_digits=18, decimal_places=8
    )
    amount_in_pool_currency = models.BigIntegerField(_("amount in the pool's currency"))
    # Where the members the money serves are: ISO 3166 alpha-2 and its UN M49 region.
    country = models.CharField(_("country"), max_length=2, blank=True)
    region = models.CharField(_("region"), max_length=3, blank=True)
    # What the entry is for, as "app.model:pk" ("fund.booking:12", "communities.request:3"),
    # so a programme can find and correct its own entries.
    source = models.CharField(max_length=100, db_index=True)
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # A correction never edits or deletes an entry: it reverses it. The reversal has the
    # same kind and amounts and points at the entry it cancels; figures subtract it, and
    # the right entry is recorded after it (`bpd.ledger.services.reverse`).
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="entry_not_negative"),
            models.CheckConstraint(
                condition=models.Q(amount_in_pool_currency__gte=0), name="entry_pool_not_negative"
            ),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="entry_rate_positive"),
        ]
        indexes = [
            models.Index(fields=["pool", "kind"]),
            models.Index(fields=["programme", "occurred_on"]),
            # The ledger page's order (newest first): a page far down reads the index
            # instead of sorting every entry (bench/ledger.py).
            models.Index(fields=["-occurred_on", "-id"], name="ledger_entry_newest_first"),
        ]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.amount} {self.currency}"
