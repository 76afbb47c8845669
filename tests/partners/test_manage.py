"""Partners' management pages: executors only (members 403, visitors to sign in); the
offer pages for a partner's people (another partner's: 404); forms' errors shown at their
fields; the hub card and task; query counts of the lists at two sizes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bpd.members.roles import Role
from bpd.partners.models import Claim, Code, Offer, Partner, PartnerPerson
from bpd.website import registry
from tests.factories import ProfileFactory, UserFactory
from tests.partners.factories import (
    ClaimFactory,
    OfferFactory,
    PartnerFactory,
    PartnerPersonFactory,
    add_codes,
)
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db
K, S = Offer.Kind, Offer.Status


@pytest.fixture
def executor():
    return ProfileFactory(user=UserFactory(roles=[Role.EXECUTOR])).user


@pytest.fixture
def partner():
    return PartnerFactory(name="Talk Python", slug="talk-python")


@pytest.fixture
def person(partner):
    user = ProfileFactory(user=UserFactory(roles=[Role.PARTNER])).user
    PartnerPersonFactory(partner=partner, user=user)
    return user


@pytest.fixture
def outsider():
    user = ProfileFactory(user=UserFactory(roles=[Role.PARTNER])).user
    PartnerPersonFactory(partner=PartnerFactory(name="Other Org"), user=user)
    return user


def test_manage_pages_refuse_members_and_send_visitors_to_sign_in(client, partner, person):
    url = reverse("partners:manage_partner", args=[partner.pk])
    assert client.get(url).status_code == 302
    client.force_login(ProfileFactory().user)
    assert client.get(url).status_code == 403
    client.force_login(person)  # a partner's person is not staff
    assert client.get(reverse("partners:manage")).status_code == 403


def test_offer_pages_scoped_to_the_partner(client, partner, person, outsider):
    offer = OfferFactory(partner=partner, status=S.DRAFT)
    edit = reverse("partners:offer_edit", args=[offer.pk])
    client.force_login(outsider)
    assert client.get(edit).status_code == 404
    assert client.get(reverse("partners:offer_new", args=[partner.slug])).status_code == 404
    assert client.post(reverse("partners:offer_submit", args=[offer.pk])).status_code == 404
    client.force_login(ProfileFactory().user)
    assert client.get(edit).status_code == 403
    client.force_login(person)
    assert client.get(edit).status_code == 200
    client.post(reverse("partners:offer_submit", args=[offer.pk]))
    assert Offer.objects.get().status == S.PENDING


def test_offer_new_shows_service_errors_at_fields(client, partner, person):
    client.force_login(person)
    response = client.post(
        reverse("partners:offer_new", args=[partner.slug]),
        {
            "kind": "seats",
            "title": "Seats",
            "value": "A seat",
            "language": "en",
            "audience": "members",
        },
    )
    assert response.status_code == 200
    assert "Say how many seats the partner gives." in response.content.decode()
    assert response.context["form"].errors["quantity"]
    assert not Offer.objects.exists()


def test_offer_new_saves_a_draft(client, partner, person):
    client.force_login(person)
    response = client.post(
        reverse("partners:offer_new", args=[partner.slug]),
        {
            "kind": "seats", "title": "Seats", "value": "A seat", "language": "en",
            "audience": "public", "quantity": "20", "reclaim_days": "30", "countries": ["GH", "NG"],
        },
    )  # fmt: skip
    offer = Offer.objects.get()
    assert response.status_code == 302
    assert (offer.status, offer.audience, offer.countries) == (S.DRAFT, "members", ["GH", "NG"])


def test_approved_offer_edit_form_is_limited_for_staff_and_absent_for_people(
    client, partner, person, executor
):
    offer = OfferFactory(partner=partner, quantity=10)
    url = reverse("partners:offer_edit", args=[offer.pk])
    client.force_login(person)
    assert client.get(url).context["form"] is None
    client.force_login(executor)
    form = client.get(url).context["form"]
    assert "quantity" in form.fields
    assert "title" not in form.fields


def test_offer_codes_upload_and_errors(client, partner, person):
    offer = OfferFactory(partner=partner, status=S.DRAFT)
    Code.objects.create(offer=offer, code="OLD")
    url = reverse("partners:offer_codes", args=[offer.pk])
    client.force_login(person)
    response = client.post(url, {"text": "NEW\nOLD\n"})
    assert "OLD" in str(response.context["form"].non_field_errors())
    assert Code.objects.count() == 1
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("codes.csv", b"code\nA\nB\n", content_type="text/csv")
    assert client.post(url, {"file": upload}).status_code == 302
    assert Code.objects.count() == 3


def test_person_add_and_remove_through_pages(client, partner, executor):
    new = ProfileFactory().user
    client.force_login(executor)
    response = client.post(
        reverse("partners:person_add", args=[partner.pk]), {"email": "nobody@x.org"}
    )
    assert response.context["person_form"].errors["email"]
    client.post(reverse("partners:person_add", args=[partner.pk]), {"email": new.email})
    person = PartnerPerson.objects.get(user=new)
    response = client.post(reverse("partners:person_remove", args=[person.pk]), {"reason": ""})
    assert response.status_code == 200
    assert PartnerPerson.objects.filter(pk=person.pk).exists()
    client.post(reverse("partners:person_remove", args=[person.pk]), {"reason": "left"})
    assert not PartnerPerson.objects.filter(pk=person.pk).exists()


def test_offer_review_reject_needs_note_and_revoke_needs_reason(client, partner, executor):
    offer = OfferFactory(partner=partner, status=S.PENDING, kind=K.SEATS, quantity=3)
    claim = ClaimFactory(offer=offer)
    client.force_login(executor)
    response = client.post(reverse("partners:offer_reject", args=[offer.pk]), {"reason": ""})
    assert response.context["reject_form"].errors
    response = client.post(reverse("partners:claim_revoke", args=[claim.pk]), {"reason": ""})
    assert response.status_code == 200
    assert response.context["claim_refused"].errors
    client.post(reverse("partners:claim_revoke", args=[claim.pk]), {"reason": "abuse"})
    assert Claim.objects.get().status == Claim.Status.REVOKED
    client.post(reverse("partners:offer_approve", args=[offer.pk]), {"reason": ""})
    assert Offer.objects.get().status == S.APPROVED


def test_hub_card_and_task_for_executors_only(executor, partner, person):
    OfferFactory(partner=partner, status=S.PENDING)
    seats = OfferFactory(partner=partner, kind=Offer.Kind.SEATS, quantity=5)
    now = timezone.now()
    for provisioned_at, reminded_at in ((None, None), (now, None), (now, now), (now, now)):
        Claim.objects.create(
            offer=seats, user=UserFactory(), provisioned_at=provisioned_at, reminded_at=reminded_at
        )
    tasks, cards = registry.hub(executor)
    assert any("1 offer waits for approval" in task.text for task in tasks)
    card = next(card for card in cards if card.title == "Partners and offers")
    assert "Seats: 1 claimed and not yet set up by the partner, 2 unused after a reminder" in (
        card.summary
    )
    tasks, cards = registry.hub(person)
    assert not any("waits for approval" in task.text for task in tasks)
    assert not any(card.title == "Partners and offers" for card in cards)


def measure(client, url):
    """The page's queries, once the site settings exist (the first page ever makes them)."""
    client.get(url)
    return get_with_queries(client, url)


def _partners(count):
    for _n in range(count):
        partner = PartnerFactory()
        PartnerPersonFactory(partner=partner)
        OfferFactory(partner=partner)
        OfferFactory(partner=partner, status=S.PENDING)


def test_manage_list_queries_do_not_grow(client, executor, uncached):
    client.force_login(executor)
    url = reverse("partners:manage")
    _partners(2)
    _response, few = measure(client, url)
    _partners(10)
    response, many = get_with_queries(client, url)
    assert len(many) == len(few), many
    assert len(response.context["waiting"]) == 12


def _claims(offer, count):
    for _n in range(count):
        claim = ClaimFactory(offer=offer)
        Code.objects.create(
            offer=offer, code=f"G-{claim.pk}", claim=claim, given_at=claim.claimed_at
        )


def test_offer_review_queries_do_not_grow(client, executor, partner, uncached):
    offer = OfferFactory(partner=partner, quantity=100)
    add_codes(offer, 5)
    client.force_login(executor)
    url = reverse("partners:offer_review", args=[offer.pk])
    _claims(offer, 2)
    _response, few = measure(client, url)
    _claims(offer, 15)
    response, many = get_with_queries(client, url)
    assert len(many) == len(few), many
    assert len(response.context["rows"]) == 17
    assert response.context["left"] == 5


def test_partner_page_queries_do_not_grow(client, executor, partner, uncached):
    client.force_login(executor)
    url = reverse("partners:manage_partner", args=[partner.pk])
    OfferFactory(partner=partner)
    _response, few = measure(client, url)
    for _n in range(8):
        OfferFactory(partner=partner, kind=K.SEATS, quantity=4)
        PartnerPersonFactory(partner=partner)
    _response, many = get_with_queries(client, url)
    assert len(many) == len(few), many
    assert Partner.objects.count() == 1
