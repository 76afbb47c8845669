"""The treasurer's forms: a payment to an organiser, a refund after a cancellation.

Amounts are typed in major units of the currency paid in ("1250.50") and checked against
that currency's decimal places; the rate says how many units of the pool's currency one
unit of it bought (empty, or 1, for the pool's own currency)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bpd.communities.payments import MAX_REASON, MAX_REFERENCE
from bpd.ledger import money
from bpd.website.forms import FastSelect

MAX_AMOUNT = Decimal("100000000")  # major units: far above any sponsorship, below overflow
DATE = {"type": "date"}


class _MoneyForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"),
        min_value=Decimal("0.001"),
        max_value=MAX_AMOUNT,
        max_digits=12,
        decimal_places=3,
    )
    currency = forms.ChoiceField(label=gettext_lazy("Currency paid in"), widget=FastSelect)
    rate = forms.DecimalField(
        label=gettext_lazy("Exchange rate"),
        required=False,
        min_value=Decimal("0.00000001"),
        max_value=Decimal("1000000"),
        max_digits=18,
        decimal_places=8,
    )

    def __init__(self, *args, pool_currency, **kwargs):
        super().__init__(*args, **kwargs)
        self.pool_currency = pool_currency
        self.fields["currency"].choices = money.currency_choices(first=pool_currency)
        self.initial.setdefault("currency", pool_currency)
        self.initial.setdefault("date", timezone.localdate())
        self.fields["rate"].help_text = _(
            "How many %(pool)s one unit of the currency paid in bought. Leave it empty when "
            "you paid in %(pool)s."
        ) % {"pool": pool_currency}

    def clean(self):
        data = super().clean()
        amount, currency = data.get("amount"), data.get("currency")
        if amount is not None and currency:
            places = money.precision(currency)
            if amount != amount.quantize(Decimal(1).scaleb(-places)):
                self.add_error(
                    "amount",
                    _("%(currency)s has %(places)s decimal places.")
                    % {"currency": currency, "places": places},
                )
        rate = data.get("rate")
        if currency and currency != self.pool_currency and rate is None:
            self.add_error(
                "rate",
                _("Give the exchange rate: how many %(pool)s one %(currency)s bought.")
                % {"pool": self.pool_currency, "currency": currency},
            )
        if currency == self.pool_currency and rate is not None and rate != 1:
            self.add_error(
                "rate",
                _("Money in the pool's own currency has a rate of 1: leave the rate empty."),
            )
        on = data.get("date")
        if on and on > timezone.localdate():
            self.add_error("date", _("The date cannot be in the future."))
        return data

    def minor(self):
        return money.to_minor(self.cleaned_data["amount"], self.cleaned_data["currency"])


class PaymentForm(_MoneyForm):
    reference = forms.CharField(
        label=gettext_lazy("The organiser's invoice reference"), max_length=MAX_REFERENCE
    )
    date = forms.DateField(label=gettext_lazy("Paid on"), widget=forms.DateInput(attrs=DATE))

    field_order = ["amount", "currency", "rate", "reference", "date"]


class RefundForm(_MoneyForm):
    reason = forms.CharField(
        label=gettext_lazy("What the refund is for"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reference = forms.CharField(
        label=gettext_lazy("Reference"), max_length=MAX_REFERENCE, required=False
    )
    date = forms.DateField(label=gettext_lazy("Received on"), widget=forms.DateInput(attrs=DATE))

    field_order = ["amount", "currency", "rate", "reason", "reference", "date"]
