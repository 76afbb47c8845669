"""The partners a page shows for [[component:partners]] (partners.selectors.page_component)."""

import datetime as dt

import pytest
from django.utils import timezone

from bpd.partners import selectors
from bpd.partners.models import Offer, Partner
from tests.partners.factories import OfferFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_active_partners_with_a_live_offer_each_with_those_offers():
    now = timezone.now()
    giving = PartnerFactory(name="Giving")
    OfferFactory(partner=giving, title="Live")
    OfferFactory(partner=giving, title="Pending", status=Offer.Status.PENDING)
    OfferFactory(partner=giving, title="Over", ends_at=now - dt.timedelta(days=1))
    PartnerFactory(name="Nothing on offer")
    OfferFactory(partner=PartnerFactory(name="Only expired"), ends_at=now - dt.timedelta(days=1))
    OfferFactory(partner=PartnerFactory(name="Ended", status=Partner.Status.ENDED))

    context = selectors.page_component(None, "en")

    assert [partner.name for partner in context["partners"]] == ["Giving"]
    assert [offer.title for offer in context["partners"][0].live] == ["Live"]


def test_nothing_while_no_partner_has_a_live_offer():
    PartnerFactory()

    assert selectors.page_component(None, "en") is None
