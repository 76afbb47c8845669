"""Issue 12, item 15: the profile editor is an overview of short sections (about you,
where you are, career, links, privacy), each changed and saved on its own page."""

import re

import pytest

from bpd.members import services
from bpd.members.forms import LinksForm
from bpd.members.models import Profile
from bpd.members.visibility import Visibility
from tests.factories import CityFactory, ProfileFactory, UserFactory
from tests.members.test_profile import form_data, post_section

SECTIONS = {
    "about": "About you",
    "where": "Where you are",
    "career": "Career and expertise",
    "links": "Links",
    "privacy": "Privacy",
}


def test_the_overview_lists_every_section_with_its_values_and_a_change_link(signed_in):
    client, profile = signed_in
    Profile.objects.filter(pk=profile.pk).update(
        bio="I teach pandas.", github="https://github.com/me"
    )

    html = client.get("/members/profile/").text

    for slug, title in SECTIONS.items():
        assert f'<h2 id="{slug}">{title}</h2>' in html
        assert f'href="/members/profile/{slug}/"' in html
    assert "I teach pandas." in html
    assert "https://github.com/me" in html
    assert "Nigeria" in html  # the country by name, not its code
    assert "Who sees your city and time zone" in html
    assert "Only me" in html  # choices by their labels


def test_each_section_is_a_short_form_of_its_own(signed_in):
    client, _profile = signed_in

    for slug in SECTIONS:
        html = client.get(f"/members/profile/{slug}/").text
        assert html.count('class="field') <= 8, slug
        assert html.count('<form novalidate method="post" enctype') == 1


def test_country_and_city_are_asked_together(signed_in):
    client, _profile = signed_in

    where = client.get("/members/profile/where/").text
    about = client.get("/members/profile/about/").text

    assert 'name="country"' in where
    assert 'name="city_name"' in where
    assert 'name="country"' not in about


def test_career_section_says_what_you_do(signed_in):
    client, _profile = signed_in

    html = client.get("/members/profile/career/").text

    assert "What you do" in html
    assert 'name="expertise_kinds"' in html


def test_saving_a_section_returns_to_the_overview_with_a_message(signed_in):
    client, _profile = signed_in

    response = post_section(client, "links", website="example.com")

    assert response.status_code == 302
    assert response["Location"] == "/members/profile/#links"
    assert "Your changes to “Links” are saved." in client.get("/members/profile/").text


def test_saving_links_does_not_touch_about(signed_in):
    client, profile = signed_in
    Profile.objects.filter(pk=profile.pk).update(bio="My own words", pronouns="she/her")

    post_section(client, "links", github="github.com/me", bio="Overwritten", display_name="X")

    profile.refresh_from_db()
    assert profile.github == "https://github.com/me"
    assert (profile.bio, profile.pronouns, profile.display_name) == (
        "My own words",
        "she/her",
        "Me",
    )


def test_a_section_never_writes_what_another_page_changed_meanwhile(db):
    profile = ProfileFactory(bio="Before")
    loaded = Profile.objects.get(pk=profile.pk)  # the page read the profile here…
    Profile.objects.filter(pk=profile.pk).update(bio="Changed meanwhile")  # …another tab saved

    form = LinksForm(form_data("links", website="example.com"), instance=loaded)
    assert form.is_valid(), form.errors
    services.save_profile(profile=loaded, form=form)

    profile.refresh_from_db()
    assert profile.bio == "Changed meanwhile"
    assert profile.website == "https://example.com"


# The fields each section holds (database columns).
OWN = {
    "about": {"display_name", "pronouns", "bio", "languages"},
    "where": {"country", "city_id", "time_zone"},
    "career": {
        "roles", "skill_level", "career_status", "in_expertise_directory", "expertise_kinds",
        "expertise_topics",
    },
    "links": {"github", "linkedin", "mastodon", "website"},
    "privacy": {
        "name_visibility", "location_visibility", "city_visibility", "about_visibility",
        "career_visibility", "links_visibility", "contact_allowed",
    },
}  # fmt: skip


@pytest.mark.parametrize("slug", list(SECTIONS))
def test_each_section_saves_only_its_own_fields(signed_in, slug):
    client, profile = signed_in
    before = Profile.objects.values().get(pk=profile.pk)
    # A value for a field of every section, sent to this one.
    everything = {
        "display_name": "Changed", "bio": "Changed", "country": "GH", "time_zone": "Africa/Accra",
        "skill_level": "expert", "roles": ["data"], "github": "https://changed.example",
        "name_visibility": 0, "contact_allowed": "",
    }  # fmt: skip

    response = client.post(f"/members/profile/{slug}/", everything | form_data(slug))

    assert response.status_code == 302
    after = Profile.objects.values().get(pk=profile.pk)
    changed = {name for name in before if before[name] != after[name]}
    assert changed - OWN[slug] == {"updated_at"}


def test_an_unknown_section_is_not_found(signed_in):
    client, _profile = signed_in

    assert client.get("/members/profile/everything/").status_code == 404


def test_the_editor_sends_someone_who_has_not_onboarded_to_the_welcome_page(client, db):
    user = UserFactory()
    ProfileFactory(user=user, onboarded_at=None)
    client.force_login(user)

    for path in ("/members/profile/", "/members/profile/about/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/members/welcome/"


def test_onboarding_still_finishes_the_profile(client, db):
    user = UserFactory()
    client.force_login(user)

    response = client.post("/members/welcome/", {"display_name": "New Person", "country": "KE"})

    assert response.status_code == 302
    assert client.get("/members/profile/").status_code == 200
    assert Profile.objects.get(user=user).onboarded_at is not None


def test_privacy_keeps_the_name_public_while_listed_as_an_expert(signed_in):
    client, profile = signed_in
    Profile.objects.filter(pk=profile.pk).update(
        in_expertise_directory=True, name_visibility=Visibility.PUBLIC, expertise_topics="APIs"
    )

    response = post_section(client, "privacy", name_visibility=Visibility.MEMBERS)

    assert response.status_code == 200
    assert "make your name public or leave the directory" in response.text
    profile.refresh_from_db()
    assert profile.name_visibility == Visibility.PUBLIC


def test_listing_yourself_needs_a_public_name_set_under_privacy(signed_in):
    client, profile = signed_in

    refused = post_section(client, "career", in_expertise_directory="on", expertise_topics="APIs")
    post_section(client, "privacy", name_visibility=Visibility.PUBLIC)
    listed = post_section(client, "career", in_expertise_directory="on", expertise_topics="APIs")

    assert "make your name public (under Privacy)" in refused.text
    assert listed.status_code == 302
    profile.refresh_from_db()
    assert profile.in_expertise_directory


def test_choosing_a_new_city_updates_the_overview(signed_in):
    client, _profile = signed_in
    CityFactory(name="Kumasi", country="GH", timezone="Africa/Accra")

    post_section(client, "where", country="GH", city_name="Kumasi")

    html = client.get("/members/profile/").text
    assert re.search(r"Kumasi, [^<]*Ghana", html)
    assert "Africa/Accra" in html
