"""Finding your way (issue 11): the programmes, the code of conduct, the expertise
directory and privacy are one click from every public page; the home page welcomes and
asks people to join; signed-in people land on their hub."""

import pytest
from django.urls import reverse

from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def footer(html):
    return html.split('<footer class="bottom">')[1]


def header(html):
    return html.split('<header class="top">')[1].split("</header>")[0]


def test_every_public_page_links_the_fund_the_experts_the_code_and_privacy(client, site_content):
    for path in ["/", "/about/", "/news/", "/experts/"]:
        html = client.get(path).text
        assert 'href="/fund/"' in header(html), path
        for link in [
            'href="/code-of-conduct/"',
            'href="/privacy/"',
            'href="/experts/"',
            'href="/fund/"',
        ]:
            assert link in footer(html), (path, link)


def test_the_home_page_welcomes_asks_to_join_and_lists_what_you_can_do(client, site_content):
    html = client.get("/").text

    main = html.split('<main id="main">')[1]
    assert main.index("Join Black Python Devs") < main.index("What you can do here")
    assert f'href="{reverse("account_signup")}"' in main
    assert 'href="/fund/"' in main  # the Fund's card
    assert 'href="/experts/"' in main


def test_a_signed_in_member_sees_your_bpd_instead_of_join(client, site_content):
    user = UserFactory()
    ProfileFactory(user=user)
    client.force_login(user)

    top = header(client.get("/about/").text)

    assert "Your BPD" in top
    assert ">Join<" not in top


def test_signing_in_lands_on_the_hub():
    from django.conf import settings

    assert reverse(settings.LOGIN_REDIRECT_URL) == "/members/"


@pytest.mark.parametrize("code", ["ha", "sw", "es", "fr", "pt"])
def test_menu_labels_are_translated_even_where_the_page_falls_back_to_english(
    client, site_content, code
):
    html = client.get(f"/{code}/").text

    menus = header(html) + footer(html)
    for english in [
        ">Why online first<",
        ">Leadership Team<",
        ">Code of conduct<",
        ">Privacy<",
        ">Fund<",
    ]:
        assert english not in menus, (code, english)


def test_the_funds_page_is_public_and_says_how_it_works(client, site_content):
    response = client.get("/fund/")

    assert response.status_code == 200
    assert "How it works" in response.text
    assert "You never pay first." in response.text
    assert "Your applications" not in response.text


def test_a_visitor_is_asked_to_sign_in_to_apply_and_comes_back_to_the_form(client, site_content):
    import datetime as dt

    from django.utils import timezone

    from bpd.fund.models import Round

    now = timezone.now()
    Round.objects.create(
        name="Open round", slug="open-round", opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=9), decision_date=(now + dt.timedelta(days=20)).date(),
        budget=100_000, currency="USD", covered=["flight"], cap_per_person=50_000,
    )  # fmt: skip

    html = client.get("/fund/").text

    assert "/accounts/login/code/?next=/fund/open-round/apply/" in html
    assert 'href="/fund/open-round/apply/"' not in html


def test_the_funds_page_is_in_the_sitemap_in_every_language(client, site_content):
    xml = client.get("/sitemap.xml").text

    assert "/fund/</loc>" in xml
    assert "/ha/fund/</loc>" in xml
    assert 'hreflang="ha" href="http://127.0.0.1:8000/ha/fund/"' in xml
