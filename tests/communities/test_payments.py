"""Paying organisers: the treasurer records a payment in one transaction (the ledger's
PAYMENT, the paid date, the "pay" step, the audit entry, the leaders' email), never more
than was approved, never beyond the pool; refunds after a cancellation; the pages, the
hub task and their cost in queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bpd.audit.models import Entry as AuditEntry
from bpd.audit.verbs import Verb
from bpd.communities import payments, sponsorship
from bpd.communities import policy as rules
from bpd.communities.models import Policy, RegionPool, SponsorshipRequest, Transition
from bpd.communities.payments import PaymentError
from bpd.ledger import services as ledger
from bpd.ledger.models import Entry, Pool
from bpd.members.roles import Role
from tests.communities.sponsorship_factories import (
    SponsoredCommunityFactory,
    SponsorshipRequestFactory,
    leader_of,
)
from tests.factories import ProfileFactory, UserFactory
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db
S = SponsorshipRequest.Status
K = Entry.Kind
TODAY = timezone.localdate()


@pytest.fixture
def treasurer(db):
    return ProfileFactory(user=UserFactory(roles=[Role.TREASURER], language="fr")).user


def approved(amount=50_000, *, committed=None, community=None, **fields):
    """An approved request with its commitment in the year's pool, as an approval leaves it
    (made straight through the models and the ledger)."""
    community = community or SponsoredCommunityFactory()
    request = SponsorshipRequestFactory(
        community=community, status=S.APPROVED, amount=max(amount, 50_000),
        amount_approved=amount, tickets_approved=10, decided_policy=Policy.current(), **fields,
    )  # fmt: skip
    pool = sponsorship.year_pool(request.starts_on.year, Policy.current())
    if committed is None:
        committed = amount
    if committed:
        ledger.record(
            pool=pool, kind=K.COMMITMENT, purpose="approved", amount=committed, currency="USD",
            source=rules.source_of(request), country=request.country,
        )  # fmt: skip
    return request


def pay(request, by, **changes):
    values = {
        "amount": request.amount_approved, "currency": "USD", "rate": None,
        "reference": "INV-1", "paid_on": TODAY,
    } | changes  # fmt: skip
    return payments.record_payment(request=request, by=by, **values)


# Recording a payment --------------------------------------------------------------------


def test_a_payment_is_one_transaction_of_ledger_status_date_step_audit_and_email(
    treasurer, mailoutbox, django_capture_on_commit_callbacks
):
    request = approved(50_000, country="GH")
    leaders = [leader_of(request.community, language="fr"), leader_of(request.community)]
    yesterday = TODAY - dt.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        entry = pay(request, treasurer, reference="INV-2027-014", paid_on=yesterday)

    assert (entry.kind, entry.amount, entry.currency, entry.amount_in_pool_currency) == (
        K.PAYMENT, 50_000, "USD", 50_000,
    )  # fmt: skip
    assert entry.pool.key == f"sponsorship:{request.starts_on.year}"
    assert (entry.vendor, entry.reference, entry.country, entry.region) == (
        "Organiser Ltd", "INV-2027-014", "GH", "002",
    )  # fmt: skip
    assert (entry.occurred_on, entry.recorded_by, entry.source) == (
        yesterday, treasurer, f"communities.request:{request.pk}",
    )  # fmt: skip
    request.refresh_from_db()
    assert (request.status, request.paid_at) == (S.PAID, yesterday)
    step = Transition.objects.get(request=request, name="pay")
    assert (step.from_status, step.to_status, step.by) == (S.APPROVED, S.PAID, treasurer)
    audit = AuditEntry.objects.get(verb=Verb.LEDGER_RECORDED)
    assert audit.after["reference"] == "INV-2027-014"
    assert audit.actor_id == treasurer.pk
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in leaders)
    french = next(m for m in mailoutbox if m.to[0] == leaders[0].email)
    assert "Organiser Ltd" in french.body
    assert "INV-2027-014" in french.body


def test_a_payment_in_another_currency_needs_its_rate(treasurer):
    request = approved(50_000)

    with pytest.raises(PaymentError, match="exchange rate"):
        pay(request, treasurer, amount=5_800_000, currency="GHS", rate=None)
    entry = pay(request, treasurer, amount=580_000, currency="GHS", rate=Decimal("0.0862"))

    assert (entry.amount, entry.currency, entry.rate, entry.amount_in_pool_currency) == (
        580_000, "GHS", Decimal("0.0862"), 49_996,
    )  # fmt: skip


@pytest.mark.parametrize("rate", [Decimal(0), Decimal("-1"), Decimal("1000001")])
def test_a_rate_must_be_above_zero_and_sensible(treasurer, rate):
    request = approved(50_000)

    with pytest.raises(PaymentError):
        pay(request, treasurer, amount=10_000, currency="GHS", rate=rate)

    assert not Entry.objects.filter(kind=K.PAYMENT).exists()


def test_the_pools_own_currency_counts_at_1(treasurer):
    request = approved(50_000)

    with pytest.raises(PaymentError, match="rate of 1"):
        pay(request, treasurer, rate=Decimal("1.2"))
    assert pay(request, treasurer, rate=Decimal(1)).rate == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": 0}, "more than nothing"),
        ({"amount": -100}, "more than nothing"),
        ({"currency": "XYZ"}, "currency"),
        ({"reference": ""}, "invoice reference"),
        ({"reference": "x" * 101}, "under 100"),
        ({"paid_on": TODAY + dt.timedelta(days=1)}, "future"),
    ],
)
def test_a_payment_refused_writes_nothing(treasurer, changes, message):
    request = approved(50_000)
    entries, audits = Entry.objects.count(), AuditEntry.objects.count()

    with pytest.raises(PaymentError, match=message):
        pay(request, treasurer, **changes)

    request.refresh_from_db()
    assert (request.status, request.paid_at) == (S.APPROVED, None)
    assert (Entry.objects.count(), AuditEntry.objects.count()) == (entries, audits)


def test_never_more_than_the_amount_approved(treasurer):
    request = approved(50_000)

    with pytest.raises(PaymentError, match="more than the amount approved"):
        pay(request, treasurer, amount=50_001)
    with pytest.raises(PaymentError, match="more than the amount approved"):
        pay(request, treasurer, amount=590_000, currency="GHS", rate=Decimal("0.0862"))  # $508.58

    assert pay(request, treasurer, amount=50_000).amount == 50_000


@pytest.mark.parametrize("status", [S.SUBMITTED, S.PAID, S.CANCELLED, S.DECLINED, S.COMPLETED])
def test_only_an_approved_sponsorship_is_paid(treasurer, status):
    request = approved(50_000)
    SponsorshipRequest.objects.filter(pk=request.pk).update(status=status)

    with pytest.raises(PaymentError, match="Only an approved"):
        pay(request, treasurer)


def test_only_the_treasurer_or_an_executor_pays(treasurer):
    request = approved(50_000)
    leader = leader_of(request.community)

    with pytest.raises(PaymentError, match="cannot do this"):
        pay(request, leader)

    assert not Entry.objects.filter(kind=K.PAYMENT).exists()


def test_a_payment_never_takes_the_pool_beyond_its_budget(treasurer):
    """An approval whose commitment was released (or never made) pays only what the pool
    still has room for."""
    pool = sponsorship.year_pool((TODAY + dt.timedelta(days=90)).year, Policy.current())
    Pool.objects.filter(pk=pool.pk).update(budget=100_000)
    request = approved(50_000, committed=0)
    ledger.record(pool=pool, kind=K.COMMITMENT, purpose="other", amount=60_000, currency="USD",
                  source="other")  # fmt: skip

    with pytest.raises(PaymentError, match="more than is left"):
        pay(request, treasurer, amount=50_000)
    request.refresh_from_db()
    assert request.status == S.APPROVED

    entry = pay(request, treasurer, amount=40_000)
    assert entry.amount == 40_000
    assert ledger.figures(Pool.objects.get(pk=pool.pk)).committed == 100_000


def test_a_payment_keeps_to_the_regions_share(treasurer):
    policy = Policy.current()
    RegionPool.objects.create(policy=policy, region="002", amount=30_000)
    request = approved(50_000, committed=0)  # Ghana, in Africa

    with pytest.raises(PaymentError, match="region's share"):
        pay(request, treasurer, amount=30_001)
    assert pay(request, treasurer, amount=30_000).amount == 30_000


# Refunds --------------------------------------------------------------------------------


def test_the_whole_life_approved_paid_cancelled_refunded(treasurer):
    """Through the sponsorship's own services: approval commits, the payment pays,
    cancelling releases what was not paid, the refund brings money back and releases it."""
    request = approved(50_000, committed=0)
    SponsorshipRequest.objects.filter(pk=request.pk).update(status=S.SUBMITTED)
    executor = ProfileFactory(user=UserFactory(roles=[Role.EXECUTOR])).user
    sponsorship.approve(request=request, by=executor, amount_approved=40_000, tickets_approved=8)
    pay(SponsorshipRequest.objects.get(pk=request.pk), treasurer, amount=40_000)
    pool = Pool.objects.get(key=rules.pool_key(request.starts_on.year))
    before = ledger.figures(pool).committed
    sponsorship.cancel(request=request, by=executor, comment="The venue fell through.")
    # Money already paid to the organiser is spent: cancelling must not free it in the pool.
    assert ledger.figures(pool).committed == before
    assert ledger.committed_for(rules.source_of(request)) == {pool.pk: 40_000}

    refund = payments.record_refund(
        request=request, by=treasurer, amount=25_000, currency="USD", rate=None,
        reason="Ticket money returned", refunded_on=TODAY, reference="CN-1",
    )  # fmt: skip

    assert (refund.kind, refund.amount, refund.note, refund.reference) == (
        K.REFUND, 25_000, "Ticket money returned", "CN-1",
    )  # fmt: skip
    pool = Pool.objects.get(key=rules.pool_key(request.starts_on.year))
    assert ledger.paid_for(rules.source_of(request)) == {pool.pk: 15_000}
    assert ledger.figures(pool).refunded == 25_000
    # What came back is released: only the 15,000 still spent stays committed.
    assert ledger.committed_for(rules.source_of(request)) == {pool.pk: 15_000}
    assert AuditEntry.objects.filter(verb=Verb.LEDGER_RECORDED, reason="Ticket money returned")


def test_a_refund_is_at_most_what_was_paid_and_not_refunded(treasurer):
    request = approved(50_000)
    pay(request, treasurer, amount=30_000)
    SponsorshipRequest.objects.filter(pk=request.pk).update(status=S.CANCELLED)

    def refund(amount):
        return payments.record_refund(
            request=request, by=treasurer, amount=amount, currency="USD", rate=None,
            reason="Back", refunded_on=TODAY,
        )  # fmt: skip

    with pytest.raises(PaymentError, match="cannot be more than"):
        refund(30_001)
    refund(20_000)
    with pytest.raises(PaymentError, match="cannot be more than"):
        refund(10_001)
    refund(10_000)
    with pytest.raises(PaymentError, match="Nothing was paid"):
        refund(1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": " "}, "what the refund is for"),
        ({"refunded_on": TODAY + dt.timedelta(days=1)}, "future"),
    ],
)
def test_a_refund_needs_a_reason_and_a_past_date(treasurer, changes, message):
    request = approved(50_000)
    pay(request, treasurer)
    SponsorshipRequest.objects.filter(pk=request.pk).update(status=S.CANCELLED)
    values = {"amount": 100, "currency": "USD", "rate": None, "reason": "Back",
              "refunded_on": TODAY} | changes  # fmt: skip

    with pytest.raises(PaymentError, match=message):
        payments.record_refund(request=request, by=treasurer, **values)


def test_a_refund_only_for_a_cancelled_sponsorship(treasurer):
    request = approved(50_000)
    pay(request, treasurer)

    with pytest.raises(PaymentError, match="cancelled sponsorship only"):
        payments.record_refund(
            request=request, by=treasurer, amount=100, currency="USD", rate=None,
            reason="Back", refunded_on=TODAY,
        )  # fmt: skip


# The pages ------------------------------------------------------------------------------


def test_the_payments_page_lists_what_waits_and_what_was_paid(client, treasurer):
    waiting = approved(36_000, title="Accra workshop", organiser_name="Accra Events Ltd",
                       organiser_contact="pay@accra.example.org")  # fmt: skip
    done = approved(20_000, title="Lagos meetup")
    pay(done, treasurer)
    SponsorshipRequestFactory(title="Still a draft")
    client.force_login(treasurer)

    page = client.get("/communities/payments/").text

    assert "Accra workshop" in page
    assert "Accra Events Ltd" in page
    assert "pay@accra.example.org" in page
    assert "$360.00" in page
    assert f"/communities/payments/{waiting.pk}/" in page
    assert "Lagos meetup" in page
    assert "$200.00" in page
    assert "Still a draft" not in page


def test_recording_a_payment_through_the_page(
    client, treasurer, django_capture_on_commit_callbacks
):
    request = approved(36_000, organiser_details="Accra Events Ltd, GT Bank 0123")
    client.force_login(treasurer)
    assert "GT Bank 0123" in client.get(f"/communities/payments/{request.pk}/").text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/communities/payments/{request.pk}/",
            {"amount": "4200", "currency": "GHS", "rate": "0.0857", "reference": "INV-9",
             "date": TODAY.isoformat()},
        )  # fmt: skip

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == S.PAID
    page = client.get(f"/communities/payments/{request.pk}/").text
    assert "INV-9" in page
    assert "$359.94" in page
    assert "Record the payment" not in page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"amount": "4200", "currency": "GHS", "rate": ""}, "Give the exchange rate"),
        ({"amount": "360", "currency": "USD", "rate": "2"}, "leave the rate empty"),
        ({"amount": "10.555", "currency": "USD", "rate": ""}, "2 decimal places"),
        ({"amount": "10.5", "currency": "JPY", "rate": "0.0067"}, "0 decimal places"),
        ({"amount": "361", "currency": "USD", "rate": ""}, "more than the amount approved"),
    ],
)
def test_a_refused_payment_comes_back_with_its_reason(client, treasurer, form, message):
    request = approved(36_000)
    client.force_login(treasurer)

    response = client.post(
        f"/communities/payments/{request.pk}/",
        form | {"reference": "INV-9", "date": TODAY.isoformat()},
    )

    assert response.status_code == 400
    assert message in response.text
    assert not Entry.objects.filter(kind=K.PAYMENT).exists()


def test_a_payment_dated_tomorrow_is_refused_on_the_page(client, treasurer):
    request = approved(36_000)
    client.force_login(treasurer)

    response = client.post(
        f"/communities/payments/{request.pk}/",
        {"amount": "360", "currency": "USD", "reference": "INV-9",
         "date": (TODAY + dt.timedelta(days=1)).isoformat()},
    )  # fmt: skip

    assert response.status_code == 400
    assert "cannot be in the future" in response.text


def test_the_refund_form_appears_only_once_cancelled_after_payment(client, treasurer):
    request = approved(36_000)
    client.force_login(treasurer)
    url = f"/communities/payments/{request.pk}/"
    assert "Record a refund" not in client.get(url).text
    pay(request, treasurer)
    SponsorshipRequest.objects.filter(pk=request.pk).update(status=S.CANCELLED)

    assert "Record a refund" in client.get(url).text
    response = client.post(
        f"{url}refund/",
        {"amount": "100", "currency": "USD", "reason": "Back", "date": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert Entry.objects.filter(kind=K.REFUND, amount=10_000).exists()


def test_a_draft_is_not_the_treasurers_business(client, treasurer):
    draft = SponsorshipRequestFactory()
    client.force_login(treasurer)

    assert client.get(f"/communities/payments/{draft.pk}/").status_code == 404


@pytest.mark.parametrize("role", [Role.LEADER, Role.MEMBER, Role.REVIEWER])
def test_only_money_staff_open_the_payments_pages(client, role):
    request = approved(36_000)
    client.force_login(ProfileFactory(user=UserFactory(roles=[role])).user)

    for url in ("/communities/payments/", f"/communities/payments/{request.pk}/"):
        assert client.get(url).status_code == 403
    client.post(f"/communities/payments/{request.pk}/", {"amount": "360", "currency": "USD"})
    assert not Entry.objects.filter(kind=K.PAYMENT).exists()


def test_the_payments_page_costs_the_same_queries_at_two_sizes(client, uncached, treasurer):
    community = SponsoredCommunityFactory()
    for _ in range(2):
        approved(10_000, community=community)
    pay(approved(10_000, community=community), treasurer)
    client.force_login(treasurer)
    client.get("/communities/payments/")

    _small, small = get_with_queries(client, "/communities/payments/")
    for _ in range(8):
        approved(10_000, community=community)
    for _ in range(30):
        pay(approved(10_000, community=community), treasurer)
    large, large_sql = get_with_queries(client, "/communities/payments/")

    assert len(small) == len(large_sql), (small, large_sql)
    assert "Page 1 of 2" in large.text


def test_the_request_page_costs_the_same_queries_whatever_its_entries(client, uncached, treasurer):
    request = approved(36_000)
    client.force_login(treasurer)
    url = f"/communities/payments/{request.pk}/"
    client.get(url)

    _small, small = get_with_queries(client, url)
    pay(request, treasurer, amount=10_000)
    SponsorshipRequest.objects.filter(pk=request.pk).update(status=S.CANCELLED)
    for _ in range(5):
        payments.record_refund(request=request, by=treasurer, amount=100, currency="USD",
                               rate=None, reason="Back", refunded_on=TODAY)  # fmt: skip
    _large, large = get_with_queries(client, url)

    assert len(large) <= len(small) + 1  # the refund form's currency list is no query


# The hub ---------------------------------------------------------------------------------


def test_the_treasurer_is_told_how_many_sponsorships_to_pay(client, treasurer):
    for _ in range(3):
        approved(10_000)
    client.force_login(treasurer)

    page = client.get("/members/").text

    assert "3 sponsorships to pay" in page
    assert "/communities/payments/" in page
    assert "/money/" in page


def test_members_see_no_money_on_their_hub(client):
    approved(10_000)
    client.force_login(ProfileFactory(user=UserFactory(roles=[Role.LEADER])).user)

    page = client.get("/members/").text

    assert "sponsorship to pay" not in page
    assert "/money/" not in page
