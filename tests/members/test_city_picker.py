"""Choosing a city among namesakes (members.forms.LocationMixin)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from bpd.members.forms import city_label
from tests.factories import CityFactory
from tests.members.test_profile import form_data


@pytest.fixture
def springfields(db):
    """Two of the United States' Springfields, the smaller one first."""
    illinois = CityFactory(
        name="Springfield", country="US", admin1="IL", population=114_394,
        timezone="America/Chicago",
    )  # fmt: skip
    missouri = CityFactory(
        name="Springfield", country="US", admin1="MO", population=170_188,
        timezone="America/Chicago",
    )  # fmt: skip
    return illinois, missouri


def city_inputs(html):
    """The city_choice controls on the page: [(value, checked)]."""
    tags = re.findall(r"<input[^>]*name=\"city_choice\"[^>]*>", html)
    return [(re.search(r"value=\"(\d+)\"", tag).group(1), " checked" in tag) for tag in tags]


def test_city_label_names_region_country_and_population(springfields):
    illinois, _missouri = springfields

    assert city_label(illinois) == "Springfield, Illinois, United States · 114,000"


def test_city_label_is_in_the_readers_language(springfields):
    illinois, _missouri = springfields

    with translation.override("fr"):
        label = city_label(illinois)

    assert label == "Springfield, Illinois, États-Unis · 114\u202f000"


def test_city_label_shows_the_region_code_where_no_name_ships_offline(db):
    lagos = CityFactory(name="Lagos", country="NG", admin1="05", population=9_000_000)

    assert city_label(lagos) == "Lagos, 05, Nigeria · 9,000,000"


def test_city_candidates_are_labelled_and_biggest_first(signed_in, springfields):
    client, _profile = signed_in

    response = client.post(
        "/members/profile/where/", form_data("where", country="US", city_name="Springfield")
    )

    page = response.content.decode()
    missouri = page.index("Springfield, Missouri, United States · 170,000")
    illinois = page.index("Springfield, Illinois, United States · 114,000")
    assert missouri < illinois
    assert "Springfield (US)" not in page


def test_city_candidates_are_not_preselected(signed_in, springfields):
    client, _profile = signed_in

    response = client.post(
        "/members/profile/where/", form_data("where", country="US", city_name="Springfield")
    )

    offered = city_inputs(response.content.decode())
    assert {value for value, _checked in offered} == {str(c.pk) for c in springfields}
    assert not any(checked for _value, checked in offered)


def test_city_not_chosen_among_several_is_an_error_in_the_readers_language(signed_in, springfields):
    client, profile = signed_in

    response = client.post(
        "/fr/members/profile/where/",
        form_data("where", country="US", city_name="Springfield", city_choice=""),
    )

    assert response.status_code == 200
    assert "Plusieurs villes correspondent\xa0; choisissez la vôtre." in response.content.decode()
    profile.refresh_from_db()
    assert profile.city is None


def test_city_chosen_among_several_is_saved(signed_in, springfields):
    client, profile = signed_in
    illinois, _missouri = springfields

    response = client.post(
        "/members/profile/where/",
        form_data("where", country="US", city_name="Springfield", city_choice=illinois.pk),
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.city == illinois


def test_city_pick_costs_one_gazetteer_query(signed_in, springfields):
    """The candidates found to build the form are the ones the pick is checked against."""
    client, _profile = signed_in
    illinois, _missouri = springfields

    with CaptureQueriesContext(connection) as captured:
        client.post(
            "/members/profile/where/",
            form_data("where", country="US", city_name="Springfield", city_choice=illinois.pk),
        )

    city_queries = [q["sql"] for q in captured if 'FROM "members_city"' in q["sql"]]
    assert len(city_queries) == 1


def test_saved_city_is_ticked_among_its_namesakes(signed_in, springfields):
    client, profile = signed_in
    illinois, missouri = springfields
    profile.city, profile.country = illinois, "US"
    profile.save()

    page = client.get("/members/profile/where/").content.decode()

    assert sorted(city_inputs(page)) == sorted(
        [(str(illinois.pk), True), (str(missouri.pk), False)]
    )


def test_saved_city_is_kept_when_its_name_is_sent_back_unchanged(signed_in, springfields):
    client, profile = signed_in
    illinois, _missouri = springfields
    profile.city, profile.country = illinois, "US"
    profile.save()

    response = client.post(
        "/members/profile/where/", form_data("where", country="US", city_name="Springfield")
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.city == illinois


def test_single_matching_city_is_chosen_without_a_question(signed_in, springfields):
    client, profile = signed_in
    nairobi = CityFactory(name="Nairobi", country="KE", timezone="Africa/Nairobi")

    response = client.post(
        "/members/profile/where/", form_data("where", country="", city_name="nairob")
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.city == nairobi
