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
