"""The ledger's part of "download my data" and "delete my account": the entries a staff
member recorded (a treasurer's payments and refunds, an executor's approvals).

The ledger names no member as the person money serves: it keeps vendors (airlines,
organisers), references, amounts and the region and country of the members served. Who
recorded an entry is the one link to a person. Deleting that account clears it (the
foreign key is SET_NULL); the entry stays, because the platform's money records must add
up after anyone leaves, and the audit log keeps the act under the person's replaced name."""

from django.utils.translation import gettext as _

from bpd.ledger import money
from bpd.ledger.models import Entry
from bpd.website.registry import Section
from bpd.website.templatetags.bpd import day

MODELS = {
    "ledger.Entry": (
        "the entries a member recorded as staff are exported (date, kind, pool, amount); on "
        "deletion the entries stay, for the accounts to add up, and who recorded them is "
        "cleared"
    ),
}


def collect(user):
    rows = (
        Entry.objects.filter(recorded_by=user)
        .select_related("pool")
        .order_by("occurred_on", "pk")
        .values_list(
            "occurred_on", "kind", "pool__name", "amount", "currency", "reference", "purpose"
        )
    )
    return {
        "entries_recorded": [
            {
                "date": occurred_on,
                "kind": kind,
                "pool": pool,
                "amount_minor_units": amount,
                "currency": currency,
                "reference": reference,
                "purpose": purpose,
            }
            for occurred_on, kind, pool, amount, currency, reference, purpose in rows
        ]
    }


def forget(user, published_choice):
    """Nothing to remove: the entries stay and lose who recorded them with the account
    (SET_NULL). Returns how many entries that is, for the deletion's log."""
    return Entry.objects.filter(recorded_by=user).count()


def readable(data):
    kinds = dict(Entry.Kind.choices)
    rows = [
        (
            day(row["date"]),
            _("%(kind)s: %(amount)s, %(pool)s")
            % {
                "kind": kinds.get(row["kind"], row["kind"]),
                "amount": money.display(row["amount_minor_units"], row["currency"]),
                "pool": row["pool"],
            },
        )
        for row in data["entries_recorded"]
    ]
    if not rows:
        return []
    return [Section(_("Money you recorded in the ledger"), rows)]
