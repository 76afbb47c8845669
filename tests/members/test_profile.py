from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from bpd.members import gazetteer
from bpd.members.models import City
from tests.factories import CityFactory, UserFactory

# What each section of the profile editor needs to be saved (/members/profile/<section>/).
SECTION_DATA = {
    "about": {"display_name": "Me"},
    "where": {"country": "NG"},
    "career": {},
    "links": {},
    "privacy": {
        "name_visibility": 2,
        "location_visibility": 2,
        "city_visibility": 0,
        "about_visibility": 2,
        "career_visibility": 1,
        "links_visibility": 2,
        "contact_allowed": "on",
    },
}


def form_data(section, **overrides):
    """A valid post of one section of the profile, with `overrides`."""
    return {**SECTION_DATA[section], **overrides}


def post_section(client, section, prefix="", **overrides):
    return client.post(f"{prefix}/members/profile/{section}/", form_data(section, **overrides))


def test_choosing_a_city_sets_country_and_time_zone(signed_in):
    client, profile = signed_in
    CityFactory(name="Nairobi", country="KE", timezone="Africa/Nairobi")

    response = post_section(client, "where", country="", city_name="nairobi")

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.city.name == "Nairobi"
    assert profile.country == "KE"
    assert profile.time_zone == "Africa/Nairobi"


def test_ambiguous_city_asks_which_one(signed_in):
    client, profile = signed_in
    first = CityFactory(name="Springfield", country="US", timezone="America/Chicago")
    CityFactory(name="Springfield", country="US", timezone="America/New_York", population=10)

    response = post_section(client, "where", country="US", city_name="Springfield")

    assert response.status_code == 200
    assert "Several cities match" in response.text
    response = post_section(
        client, "where", country="US", city_name="Springfield", city_choice=first.pk
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.city == first


def test_unknown_city_is_a_clear_error(signed_in):
    client, _profile = signed_in

    response = post_section(client, "where", city_name="Atlantis")

    assert "We could not find that city" in response.text


def test_skills_and_photo_are_saved_and_photo_resized(signed_in):
    client, profile = signed_in
    buffer = BytesIO()
    Image.new("RGB", (900, 600), (10, 200, 30)).save(buffer, "PNG")

    post_section(client, "career", skills="Django, pandas , ")
    post_section(client, "about", photo=SimpleUploadedFile("me.png", buffer.getvalue()))

    profile.refresh_from_db()
    assert sorted(profile.skills.values_list("name", flat=True)) == ["Django", "pandas"]
    assert profile.photo_small.name.endswith(".webp")
    with Image.open(profile.photo_small) as small:
        assert small.size == (192, 192)


def test_expertise_directory_needs_public_name_and_topics(signed_in):
    client, _profile = signed_in

    response = post_section(client, "career", in_expertise_directory="on")

    assert "make your name public" in response.text
    assert "Say what you can talk or write about" in response.text


def test_bad_time_zone_is_rejected(signed_in):
    client, _profile = signed_in

    response = post_section(client, "where", time_zone="Mars/Olympus")

    assert "Unknown time zone" in response.text


def test_gazetteer_search_ignores_accents_and_case(db):
    CityFactory(
        name="São Paulo",
        ascii_name=gazetteer.fold("São Paulo"),
        country="BR",
        population=12_000_000,
    )
    CityFactory(name="Sapporo", ascii_name="sapporo", country="JP", population=2_000_000)

    assert [c.name for c in gazetteer.search("sao p")] == ["São Paulo"]
    assert [c.name for c in gazetteer.search("SA")] == ["São Paulo", "Sapporo"]
    assert [c.name for c in gazetteer.search("sa", country="JP")] == ["Sapporo"]
    assert list(gazetteer.search("s")) == []


def test_gazetteer_loads_offline_data(db):
    count = gazetteer.load()

    assert count > 30000
    lagos = City.objects.get(name="Lagos", country="NG")
    assert lagos.timezone == "Africa/Lagos"
    assert gazetteer.load() == 0  # already loaded


def test_onboarding_requires_a_name(client, db):
    user = UserFactory()
    client.force_login(user)

    response = client.post("/members/welcome/", {"display_name": ""})

    assert response.status_code == 200
    assert 'class="field-error"' in response.text


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("\u200b", "Please give the name"),
        ("\u202e\u200b", "Please give the name"),
        ("x" * 200, "at most"),
    ],
)
def test_12_names_must_be_visible_and_short(signed_in, name, message):
    client, profile = signed_in

    response = post_section(client, "about", display_name=name)

    assert message in response.text
    profile.refresh_from_db()
    assert profile.display_name == "Me"


def test_12_names_lose_direction_overrides_and_are_normalised(signed_in):
    client, profile = signed_in

    post_section(client, "about", display_name="Ame\u0301lie \u202eNwosu")

    profile.refresh_from_db()
    assert profile.display_name == "Amélie Nwosu"


@pytest.mark.parametrize("field", ["city_name", "country"])
def test_12_a_nul_in_the_location_gets_a_message_not_a_500(signed_in, field):
    """Found by the hostile-input suite on PostgreSQL, which refuses NUL in any text it
    is sent: the city search ran on the raw value before the form had checked it."""
    client, profile = signed_in

    data = form_data("where", city_name="Lagos") | {field: "La\x00"}
    response = client.post("/members/profile/where/", data)

    assert response.status_code == 200
    assert 'class="field-error"' in response.text
    profile.refresh_from_db()
    assert profile.city is None
