"""The demo partners: three partners (a public shared code, a members-only pool of 200
codes, 20 seats), one offer waiting for approval, claims made through `claims.claim`, the
demo partner account scoped to its organisation; idempotent."""

import pytest

from bpd.members.demo import demo_email
from bpd.members.roles import Role
from bpd.partners import claims
from bpd.partners.demo import FIRST, create_demo_partners
from bpd.partners.models import Claim, Code, Offer, Partner, Redemption
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
K = Offer.Kind


@pytest.fixture
def demo_accounts():
    # The partner account has no partner role yet: the demo gives it.
    ProfileFactory(user=UserFactory(email=demo_email(Role.EXECUTOR.value), roles=[Role.EXECUTOR]))
    ProfileFactory(user=UserFactory(email=demo_email(Role.PARTNER.value)))
    ProfileFactory(user=UserFactory(email=demo_email(Role.MEMBER.value)))
    for n in range(144):
        ProfileFactory(user=UserFactory(email=demo_email(f"member{n:04}")))


def test_three_partners_with_each_kind_of_offer_and_one_waiting(demo_accounts):
    assert create_demo_partners() == 3

    assert Partner.objects.count() == 3
    shared = Offer.objects.get(kind=K.SHARED_CODE)
    assert (shared.partner.slug, shared.status, shared.audience) == (FIRST, "approved", "public")
    pool = Offer.objects.get(kind=K.UNIQUE_CODES)
    assert (pool.status, pool.audience, pool.quantity) == ("approved", "members", 200)
    assert Code.objects.filter(offer=pool).count() == 200
    assert Code.objects.filter(offer=pool).values("code").distinct().count() == 200
    seats = Offer.objects.get(kind=K.SEATS)
    assert (seats.status, seats.quantity, seats.reclaim_days) == ("approved", 20, 30)
    assert Offer.objects.get(status=Offer.Status.PENDING).partner.slug == FIRST


def test_members_hold_codes_and_seats_so_the_portal_has_figures(demo_accounts):
    create_demo_partners()

    pool = Offer.objects.get(kind=K.UNIQUE_CODES)
    seats = Offer.objects.get(kind=K.SEATS)
    assert Claim.objects.filter(offer=pool).count() == 24
    assert Code.objects.filter(offer=pool, claim__isnull=False).count() == 24
    assert claims.remaining(pool) == 176
    assert Claim.objects.filter(offer=pool, user__email=demo_email(Role.MEMBER.value)).exists()
    assert Redemption.objects.filter(offer=pool).count() == 6
    assert Code.objects.filter(offer=pool, redeemed_at__isnull=False).count() == 6
    held = Claim.objects.filter(offer=seats)
    assert held.count() == 3
    assert claims.remaining(seats) == 17
    assert held.exclude(provisioned_at=None).count() == 1
    assert all(claim.shared_email == claim.user.email and claim.consented_at for claim in held)
    assert Claim.objects.filter(offer__kind=K.SHARED_CODE, offer__partner__slug=FIRST).count() == 14
    # Spread over weeks, so "over time" has more than one point.
    days = {claim.claimed_at.date() for claim in Claim.objects.filter(offer=pool)}
    assert len(days) > 5


def test_demo_partner_acts_for_the_first_partner_only(demo_accounts):
    create_demo_partners()

    person = UserFactory._meta.model.objects.get(email=demo_email(Role.PARTNER.value))
    assert list(Partner.objects.of(person).values_list("slug", flat=True)) == [FIRST]
    assert person.groups.filter(name=Role.PARTNER.value).exists()
    member = UserFactory._meta.model.objects.get(email=demo_email(Role.MEMBER.value))
    assert not Partner.objects.of(member).exists()


def test_running_it_again_adds_nothing(demo_accounts):
    create_demo_partners()

    assert create_demo_partners() == 0
    assert Partner.objects.count() == 3
    assert Offer.objects.count() == 4
    assert Code.objects.count() == 200
    assert Claim.objects.count() == 41


def test_without_the_demo_accounts_nothing_is_made():
    assert create_demo_partners() == 0
    assert not Partner.objects.exists()
