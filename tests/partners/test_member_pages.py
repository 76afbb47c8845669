"""The member's pages: offers they may claim (and why not), claiming (one click for
codes, consent for seats), "your codes and seats", the hub card, and the data export and
account deletion."""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from bpd.members import services as members
from bpd.partners.models import Claim, Code, Offer
from tests.factories import ProfileFactory
from tests.partners.factories import ClaimFactory, OfferFactory, PartnerFactory, add_codes
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db
OFFERS, MINE = "/partners/offers/", "/partners/mine/"
K = Offer.Kind


def signed_in(client, **profile):
    person = ProfileFactory(**profile).user
    client.force_login(person)
    return person


def claim_url(offer):
    return reverse("partners:claim", args=[offer.pk])


def test_offers_page_splits_claimable_not_for_you_and_yours(client):
    person = signed_in(client, country="NG")
    codes = OfferFactory(title="Open pool", ends_at=timezone.now() + dt.timedelta(days=3))
    add_codes(codes, 12)
    OfferFactory(title="Kenya only", kind=K.LINK, countries=["KE"])
    held = OfferFactory(title="Held one", kind=K.LINK)
    ClaimFactory(offer=held, user=person)
    OfferFactory(title="Expired", kind=K.LINK, ends_at=timezone.now() - dt.timedelta(minutes=1))

    page = client.get(OFFERS).text

    assert "Open pool" in page
    assert "12 left" in page
    assert "in 3 days" in page
    assert f'action="{claim_url(codes)}"' in page
    assert "Not for you right now" in page
    assert "This offer is for members in other countries." in page
    assert "Already yours" in page
    assert "Held one" in page
    assert "Expired" not in page


def test_offers_page_puts_an_empty_pool_under_not_for_you(client):
    signed_in(client)
    OfferFactory(title="Empty pool")
    page = client.get(OFFERS).text
    assert "Every code of this offer has been claimed." in page


def test_offers_page_says_so_when_nothing_is_open(client):
    signed_in(client)
    assert "No offer is open for you right now." in client.get(OFFERS).text


def test_claim_of_a_code_takes_one_click_and_shows_it_only_to_its_member(client):
    offer = OfferFactory(title="Pool")
    add_codes(offer, 2, prefix="SECRET")
    person = signed_in(client)

    response = client.post(claim_url(offer))

    assert response.status_code == 302
    assert response["Location"] == MINE
    code = Code.objects.get(claim__user=person).code
    assert code in client.get(MINE).text
    signed_in(client)  # someone else
    assert code not in client.get(MINE).text
    assert code not in client.get(OFFERS).text
    assert code not in client.get(f"/partners/{offer.partner.slug}/").text


def test_claim_of_a_seat_asks_for_consent_naming_the_email_and_the_partner(client):
    offer = OfferFactory(kind=K.SEATS, quantity=3, partner__name="Talk Py")
    person = signed_in(client)

    page = client.get(claim_url(offer)).text

    assert f"Share my email address {person.email} with Talk Py" in page
    refused = client.post(claim_url(offer), {})
    assert refused.status_code == 200
    assert "Tick the box to confirm, or go back." in refused.text
    assert not Claim.objects.exists()
    assert client.post(claim_url(offer), {"consent": "on"}).status_code == 302
    claim = Claim.objects.get()
    assert claim.shared_email == person.email


def test_claim_refused_comes_back_as_a_message_on_the_offers_page(client):
    offer = OfferFactory(kind=K.LINK, countries=["KE"])
    signed_in(client, country="NG")

    response = client.post("/fr" + claim_url(offer), follow=True)

    assert response.redirect_chain[-1][0] == "/fr" + OFFERS
    assert "Cette offre est destinée aux membres d&#x27;autres pays." in response.text
    assert not Claim.objects.exists()


def test_claim_page_of_an_offer_not_live_is_404(client):
    signed_in(client)
    draft = OfferFactory(status=Offer.Status.DRAFT)
    ended = OfferFactory(ends_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(claim_url(draft)).status_code == 404
    assert client.post(claim_url(ended)).status_code == 404


def test_claim_page_says_when_already_claimed(client):
    offer = OfferFactory(kind=K.LINK)
    person = signed_in(client)
    ClaimFactory(offer=offer, user=person)
    assert "You have already claimed this offer." in client.get(claim_url(offer)).text


def test_mine_shows_code_redeem_address_end_state_and_what_a_seat_shared(client):
    person = signed_in(client)
    pool = OfferFactory(
        url="https://talk.example.com/redeem", ends_at=timezone.now() + dt.timedelta(days=9)
    )
    claim = ClaimFactory(offer=pool, user=person)
    Code.objects.create(offer=pool, code="MY-CODE-1", claim=claim, given_at=timezone.now())
    seats = OfferFactory(kind=K.SEATS, quantity=3, reclaim_days=30, partner__name="Seat Co")
    ClaimFactory(
        offer=seats, user=person, shared_email="old@example.com", consented_at=timezone.now()
    )
    revoked = OfferFactory(kind=K.LINK, title="Taken back")
    ClaimFactory(
        offer=revoked, user=person, status=Claim.Status.REVOKED, end_reason="Duplicate account"
    )

    page = client.get(MINE).text

    assert "MY-CODE-1" in page
    assert "https://talk.example.com/redeem" in page
    assert "in 9 days" in page
    assert "Your email address old@example.com, with Seat Co" in page
    assert "30 days after it is set up" in page
    assert "Taken back" in page
    assert "Duplicate account" in page


def test_mine_says_so_when_nothing_was_claimed(client):
    signed_in(client)
    assert "You have not claimed any offer yet." in client.get(MINE).text


def test_hub_card_counts_claimable_offers_and_the_nearest_end(client):
    person = signed_in(client)
    add_codes(OfferFactory(), 3)
    OfferFactory(kind=K.LINK)
    held = OfferFactory(kind=K.LINK, ends_at=timezone.now() + dt.timedelta(days=5))
    ClaimFactory(offer=held, user=person)

    page = client.get(reverse("members:home")).text

    assert "Offers for you" in page
    assert "Offers you can claim (2)" in page
    assert "Your code or seat (1), the first ends" in page


def fill(person, count):
    for _number in range(count):
        partner = PartnerFactory()
        pool = OfferFactory(partner=partner)
        add_codes(pool, 3)
        claim = ClaimFactory(offer=pool, user=person)
        Code.objects.filter(pk=pool.codes.first().pk).update(claim=claim, given_at=timezone.now())
        OfferFactory(partner=partner, kind=K.SEATS, quantity=3, countries=["KE"])
        OfferFactory(partner=partner, kind=K.LINK)


@pytest.mark.parametrize("url", [OFFERS, MINE])
def test_member_pages_cost_the_same_whatever_the_data_size(client, uncached, url):
    person = signed_in(client)
    fill(person, 2)
    client.get(url)
    _response, few = get_with_queries(client, url)
    fill(person, 10)
    _response, many = get_with_queries(client, url)
    assert len(many) == len(few), "\n".join(many)


# --- Download my data, delete my account ----------------------------------------------------


def test_export_holds_claims_with_codes_and_what_was_shared(client):
    person = signed_in(client)
    pool = OfferFactory(title="Pool")
    claim = ClaimFactory(offer=pool, user=person)
    Code.objects.create(offer=pool, code="EXPORT-CODE", claim=claim, given_at=timezone.now())
    seats = OfferFactory(kind=K.SEATS, quantity=2, title="Seats")
    ClaimFactory(offer=seats, user=person, shared_email=person.email, consented_at=timezone.now())
    ClaimFactory(offer=OfferFactory(kind=K.LINK, title="Someone else's"))

    archive = zipfile.ZipFile(io.BytesIO(client.post(reverse("members:my_data")).content))
    data = json.loads(archive.read("data.json"))["partner_offers"]["claims"]
    readable = archive.read("data.md").decode()

    assert {row["offer"] for row in data} == {"Pool", "Seats"}
    assert next(row for row in data if row["offer"] == "Pool")["code"] == "EXPORT-CODE"
    assert next(row for row in data if row["offer"] == "Seats")["shared_email"] == person.email
    assert "EXPORT-CODE" in readable
    assert "Your codes and seats from partners" in readable


def test_deleting_the_account_keeps_claims_without_the_person_or_their_email():
    person = ProfileFactory().user
    seats = OfferFactory(kind=K.SEATS, quantity=2)
    seat = ClaimFactory(
        offer=seats, user=person, shared_email=person.email, consented_at=timezone.now()
    )
    pool = OfferFactory()
    claim = ClaimFactory(offer=pool, user=person)
    Code.objects.create(offer=pool, code="KEPT", claim=claim, given_at=timezone.now())

    members.delete_account(user=person)

    seat.refresh_from_db()
    claim.refresh_from_db()
    assert (seat.user_id, seat.shared_email) == (None, "")
    assert claim.user_id is None
    assert claim.code.code == "KEPT"
    assert seats.claims.count() == 1  # the partner's counts stay right


def test_every_partner_claim_is_named_for_personal_data():
    from bpd.website import registry

    assert "partners.Claim" in registry.personal_data_models()
