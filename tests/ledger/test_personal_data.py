"""The ledger in "download my data" and "delete my account": the entries a staff member
recorded are exported; deleting the account keeps the entries (the accounts must add up)
and clears who recorded them."""

import pytest

from bpd.ledger import services as ledger
from bpd.ledger.models import Entry
from bpd.members import services as members
from bpd.members.exports import collect
from bpd.members.roles import Role
from bpd.website import registry
from tests.factories import ProfileFactory, UserFactory
from tests.ledger.helpers import make_pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded():
    treasurer = ProfileFactory(user=UserFactory(roles=[Role.TREASURER])).user
    pool = make_pool(name="Local community sponsorship 2027")
    entry = ledger.record(
        pool=pool, kind=Entry.Kind.PAYMENT, purpose="Accra workshop", amount=36_000,
        currency="USD", source="s", by=treasurer, reference="INV-9",
    )  # fmt: skip
    return treasurer, entry


def test_the_ledger_names_the_model_that_refers_to_a_member():
    assert "ledger.Entry" in registry.personal_data_models()


def test_the_export_holds_the_entries_a_member_recorded(recorded):
    treasurer, _entry = recorded

    data = collect(treasurer)["ledger"]

    [row] = data["entries_recorded"]
    assert (row["kind"], row["amount_minor_units"], row["currency"], row["reference"]) == (
        "payment", 36_000, "USD", "INV-9",
    )  # fmt: skip
    assert row["pool"] == "Local community sponsorship 2027"
    assert collect(ProfileFactory().user)["ledger"] == {"entries_recorded": []}


def test_the_readable_export_writes_the_money_out(recorded):
    treasurer, _entry = recorded
    part = next(p for p in registry.personal_data() if p.name == "ledger")

    [section] = part.readable(part.collect(treasurer))

    assert "Payment: $360.00, Local community sponsorship 2027" in repr(section.rows)


def test_deleting_the_account_keeps_the_entry_and_clears_who_recorded_it(recorded):
    treasurer, entry = recorded

    members.delete_account(user=treasurer)

    entry.refresh_from_db()
    assert entry.recorded_by is None
    assert (entry.amount, entry.reference) == (36_000, "INV-9")
