"""Factories for partners, their people, offers, codes and claims.

Shared by the helpers' tests: add a factory here with a small edit, never rewrite the file."""

import factory
from django.utils import timezone

from bpd.partners.models import Claim, Code, Offer, Partner, PartnerPerson
from tests.factories import ProfileFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    description = "Courses on Python."
    gives_back = "20% of each sale is donated to BPD"
    website = "https://partner.example.com"


class PartnerPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerPerson

    partner = factory.SubFactory(PartnerFactory)
    user = factory.LazyFunction(lambda: ProfileFactory().user)


class OfferFactory(factory.django.DjangoModelFactory):
    """An approved, live offer of a pool of unique codes (no limits, no window)."""

    class Meta:
        model = Offer

    partner = factory.SubFactory(PartnerFactory)
    kind = Offer.Kind.UNIQUE_CODES
    title = factory.Sequence(lambda n: f"Offer {n}")
    value = "10% off"
    url = "https://partner.example.com/redeem"
    status = Offer.Status.APPROVED


class CodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Code

    offer = factory.SubFactory(OfferFactory)
    code = factory.Sequence(lambda n: f"CODE-{n:06d}")


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    offer = factory.SubFactory(OfferFactory)
    user = factory.LazyFunction(lambda: ProfileFactory().user)
    claimed_at = factory.LazyFunction(timezone.now)


def add_codes(offer, count, prefix="C"):
    """`count` free codes in `offer`'s pool, in one query."""
    Code.objects.bulk_create(
        Code(offer=offer, code=f"{prefix}-{offer.pk}-{n:06d}") for n in range(count)
    )
