"""The public Partners page and a partner's page: what visitors and members see, the
reader's language with a marked fallback, what stays hidden, caching, the sitemap and the
menus, and what the pages cost."""

import datetime as dt
import gzip

import pytest
from django.urls import reverse
from django.utils import timezone

from bpd.members.roles import Role
from bpd.partners.models import Offer, OfferText, Partner, PartnerText
from tests.factories import ProfileFactory, UserFactory
from tests.partners.factories import OfferFactory, PartnerFactory
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db
INDEX = "/partners/"
K = Offer.Kind


def page_of(partner):
    return f"/partners/{partner.slug}/"


def public_code(partner, **fields):
    fields = {"title": "Public discount", "value": "10% off", **fields}
    return OfferFactory(
        partner=partner, kind=K.SHARED_CODE, shared_code="PUBLIC10", audience="public", **fields
    )


def members_seats(partner, **fields):
    fields = {"title": "Free seats", "value": "a free seat", **fields}
    return OfferFactory(partner=partner, kind=K.SEATS, quantity=20, **fields)


def test_index_thanks_active_partners_and_shows_public_offers_to_visitors(client):
    talk = PartnerFactory(name="Talk Py", gives_back="20% of each sale goes to BPD")
    public_code(talk, url="https://talk.example.com/bpd")
    members_seats(talk)
    PartnerFactory(name="Gone Corp", status=Partner.Status.ENDED)

    page = client.get(INDEX).text

    assert "Talk Py" in page
    assert "20% of each sale goes to BPD" in page
    assert "PUBLIC10" in page
    assert "https://talk.example.com/bpd" in page
    assert "Members get Free seats: <strong>a free seat</strong>" in page
    assert f'href="{reverse("account_signup")}"' in page  # join to claim
    assert "Gone Corp" not in page


def test_index_links_members_to_their_offers_instead_of_join(client):
    members_seats(PartnerFactory())
    client.force_login(ProfileFactory().user)
    page = client.get(INDEX).text
    assert f'href="{reverse("partners:offers")}"' in page
    assert "Join Black Python Devs to claim it" not in page


def test_index_never_shows_a_members_only_code_or_an_unapproved_or_expired_offer(client):
    partner = PartnerFactory()
    OfferFactory(partner=partner, kind=K.SHARED_CODE, shared_code="SECRET-MEMBERS", title="M")
    OfferFactory(partner=partner, kind=K.SHARED_CODE, shared_code="X", title="Draft one",
                 audience="public", status=Offer.Status.DRAFT)  # fmt: skip
    public_code(partner, title="Old one", ends_at=timezone.now() - dt.timedelta(minutes=1))
    public_code(partner, title="Future one", starts_at=timezone.now() + dt.timedelta(days=1))

    page = client.get(INDEX).text

    assert "SECRET-MEMBERS" not in page
    assert "Draft one" not in page
    assert "Old one" not in page
    assert "Future one" not in page


def test_index_says_so_when_no_partner_is_listed(client):
    assert "No partner is listed yet." in client.get(INDEX).text


def test_index_shows_the_logo_with_its_size(client):
    PartnerFactory(logo="partners/talk.webp", logo_width=160, logo_height=80)
    page = client.get(INDEX).text
    assert 'width="160"' in page
    assert 'height="80"' in page


def test_index_weighs_under_14_kb_gzipped(client):
    for number in range(6):
        partner = PartnerFactory(description="Python courses and books. " * 12)
        public_code(partner, title=f"Public {number}")
        members_seats(partner)
    html = client.get(INDEX).content
    assert len(gzip.compress(html)) < 14 * 1024


def test_detail_shows_the_description_in_the_readers_language_or_the_original_marked(client):
    partner = PartnerFactory(description="Courses on Python.", language="en")
    PartnerText.objects.create(partner=partner, language="fr", description="Des cours.")

    french = client.get("/fr" + page_of(partner)).text
    swahili = client.get("/sw" + page_of(partner)).text

    assert "Des cours." in french
    assert "Courses on Python." not in french
    assert "Courses on Python." in swahili
    assert 'lang="en"' in swahili


def test_detail_shows_an_offers_text_in_the_readers_language(client):
    offer = public_code(PartnerFactory(), description="Use it at checkout.")
    OfferText.objects.create(offer=offer, language="es", description="Úsalo al pagar.")
    assert "Úsalo al pagar." in client.get("/es" + page_of(offer.partner)).text


def test_detail_of_an_ended_partner_is_404_unless_staff(client):
    partner = PartnerFactory(status=Partner.Status.ENDED)
    assert client.get(page_of(partner)).status_code == 404
    client.force_login(ProfileFactory().user)
    assert client.get(page_of(partner)).status_code == 404
    client.force_login(ProfileFactory(user=UserFactory(roles=[Role.EXECUTOR])).user)
    assert client.get(page_of(partner)).status_code == 200


def test_detail_of_an_unknown_partner_is_404(client):
    assert client.get("/partners/nobody/").status_code == 404


def test_an_edit_shows_at_once_on_the_cached_page(client):
    partner = PartnerFactory(gives_back="Old thanks")
    assert "Old thanks" in client.get(INDEX).text
    partner.gives_back = "New thanks"
    partner.save()
    assert "New thanks" in client.get(INDEX).text
    public_code(partner, title="Brand new offer")
    assert "Brand new offer" in client.get(INDEX).text


def test_an_offer_that_ends_leaves_the_cached_page(client):
    from bpd.website.caching import fresh_content_version

    ends = timezone.now() + dt.timedelta(hours=1)
    public_code(PartnerFactory(), title="Ends soon", ends_at=ends)
    assert "Ends soon" in client.get(INDEX).text
    before = fresh_content_version()
    later = ends + dt.timedelta(seconds=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        assert fresh_content_version() != before
        assert "Ends soon" not in client.get(INDEX).text


def test_sitemap_lists_the_index_and_active_partners(client):
    active = PartnerFactory(slug="talk-py")
    PartnerFactory(slug="gone", status=Partner.Status.ENDED)
    sitemap = client.get("/sitemap.xml").text
    assert "/partners/</loc>" in sitemap
    assert f"/partners/{active.slug}/</loc>" in sitemap
    assert "/partners/gone/" not in sitemap


def test_footer_links_to_the_partners_page_and_the_header_reaches_it_through_learning(client):
    page = client.get("/").text
    assert page.count(f'href="{INDEX}"') == 1  # the footer
    assert 'href="/learning/"' in page.split("</header>")[0]
    assert f'href="{INDEX}"' in client.get("/learning/").text


def fill(count):
    for _number in range(count):
        partner = PartnerFactory()
        PartnerText.objects.create(partner=partner, language="fr", description="Texte.")
        offer = public_code(partner)
        OfferText.objects.create(offer=offer, language="fr", description="Texte.")
        members_seats(partner)


@pytest.mark.parametrize("signed_in", [False, True])
def test_index_costs_the_same_whatever_the_data_size(client, uncached, signed_in):
    if signed_in:
        client.force_login(ProfileFactory().user)
    fill(2)
    client.get(INDEX)
    _response, few = get_with_queries(client, "/fr" + INDEX)
    fill(12)
    _response, many = get_with_queries(client, "/fr" + INDEX)
    assert len(many) == len(few), "\n".join(many)


def test_detail_costs_the_same_whatever_the_number_of_offers(client, uncached):
    partner = PartnerFactory()
    public_code(partner)
    client.get(page_of(partner))
    _response, few = get_with_queries(client, page_of(partner))
    for _number in range(10):
        public_code(partner)
        members_seats(partner)
    _response, many = get_with_queries(client, page_of(partner))
    assert len(many) == len(few), "\n".join(many)
