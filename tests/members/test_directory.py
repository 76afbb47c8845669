import re

import pytest

from bpd.audit.models import Entry
from bpd.members.models import Skill
from bpd.members.roles import Role
from bpd.members.visibility import Visibility
from tests.factories import CityFactory, ProfileFactory, UserFactory
from tests.queries import get_with_queries


@pytest.fixture
def member_client(client, db):
    user = UserFactory()
    ProfileFactory(user=user, display_name="Viewer")
    client.force_login(user)
    return client


def names(response):
    return re.findall(r'<h2><a href="/members/\d+/">([^<]+)</a>', response.text)


def test_directory_needs_sign_in(client, db):
    assert client.get("/members/directory/").status_code == 302


def test_directory_hides_members_who_hide_their_name(member_client):
    ProfileFactory(display_name="Shown")
    ProfileFactory(display_name="Hidden", name_visibility=Visibility.LEADERS)

    assert names(member_client.get("/members/directory/")) == ["Shown", "Viewer"]


def test_directory_filter_ignores_fields_hidden_from_viewer(member_client):
    ProfileFactory(display_name="Open KE", country="KE")
    ProfileFactory(display_name="Private KE", country="KE", location_visibility=Visibility.ONLY_ME)

    response = member_client.get("/members/directory/?country=KE")

    assert names(response) == ["Open KE"]
    assert "Private KE" not in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("role=data", ["Data person"]),
        ("level=expert", ["Data person"]),
        ("language=sw", ["Data person"]),
        ("skill=django", ["Data person"]),
        ("open_to_work=on", ["Data person"]),
        ("q=pipelines", ["Data person"]),
        ("q=data+person", ["Data person"]),
    ],
)
def test_directory_filters(member_client, query, expected):
    person = ProfileFactory(
        display_name="Data person",
        roles=["data"],
        skill_level="expert",
        languages=["sw"],
        bio="Builds pipelines",
        career_status="open",
        career_visibility=Visibility.MEMBERS,
    )
    person.skills.add(Skill.objects.create(name="Django", slug="django"))
    ProfileFactory(display_name="Other", roles=["web"], languages=["fr"], career_status="employed")

    assert names(member_client.get(f"/members/directory/?{query}")) == expected


def test_leader_sees_leader_only_fields_member_does_not(client, db):
    ProfileFactory(
        display_name="Secretive", career_visibility=Visibility.LEADERS, career_status="open"
    )
    leader = UserFactory(roles=[Role.LEADER])
    member = UserFactory()

    client.force_login(member)
    assert names(client.get("/members/directory/?open_to_work=on")) == []
    client.force_login(leader)
    assert names(client.get("/members/directory/?open_to_work=on")) == ["Secretive"]


def test_directory_query_count_does_not_grow(member_client, uncached):
    skill = Skill.objects.create(name="Django", slug="django")
    city = CityFactory(name="Accra", country="GH")

    def add(n):
        for profile in ProfileFactory.create_batch(
            n, country="GH", city=city, city_visibility=Visibility.MEMBERS
        ):
            profile.skills.add(skill)
        ProfileFactory.create_batch(n, name_visibility=Visibility.LEADERS)  # not for members

    add(3)
    member_client.get("/members/directory/")  # the first page view creates the site settings

    small, small_sql = get_with_queries(member_client, "/members/directory/")
    add(30)
    large, large_sql = get_with_queries(member_client, "/members/directory/")

    assert len(names(small)) == 3 + 1  # and the viewer
    assert len(names(large)) == 24  # a full page
    assert large.text.count("Accra, Ghana") >= 23
    assert len(large_sql) == len(small_sql), large_sql


def test_directory_from_the_cache_costs_only_the_request_lookups(member_client):
    ProfileFactory.create_batch(5)
    member_client.get("/members/directory/")

    page, queries = get_with_queries(member_client, "/members/directory/")

    assert len(names(page)) == 5 + 1
    # the session's user and their roles; the session and the results come from the cache
    assert len(queries) <= 2, queries


def test_profile_page_shows_only_visible_fields(member_client):
    other = ProfileFactory(
        display_name="Kwame", bio="Secret bio", about_visibility=Visibility.ONLY_ME
    )

    response = member_client.get(f"/members/{other.pk}/")

    assert response.status_code == 200
    assert "Kwame" in response.text
    assert "Secret bio" not in response.text


def test_profile_page_of_hidden_member_is_not_found(member_client):
    other = ProfileFactory(name_visibility=Visibility.ONLY_ME)

    assert member_client.get(f"/members/{other.pk}/").status_code == 404


def test_staff_opening_private_fields_is_logged(client, db):
    other = ProfileFactory(career_visibility=Visibility.LEADERS)
    staff = UserFactory(roles=[Role.EXECUTOR])
    client.force_login(staff)

    client.get(f"/members/{other.pk}/")

    log = Entry.objects.get(verb="member.private_viewed")
    assert (log.actor, log.person, log.detail["fields"]) == (staff, other.user, ["career_status"])


def test_expertise_directory_is_public_and_opt_in(client, db):
    ProfileFactory(
        display_name="Adaeze",
        in_expertise_directory=True,
        name_visibility=Visibility.PUBLIC,
        expertise_topics="Async Python",
        expertise_kinds=["speaker"],
        country="GH",
        location_visibility=Visibility.MEMBERS,
    )
    ProfileFactory(display_name="Not listed", name_visibility=Visibility.PUBLIC)

    response = client.get("/experts/")

    assert response.status_code == 200
    assert "Adaeze" in response.text
    assert "Async Python" in response.text
    assert "Not listed" not in response.text
    assert "Ghana" not in response.text  # country is for members only
    assert "Adaeze" in client.get("/experts/?kind=speaker").text
    assert "Adaeze" not in client.get("/experts/?kind=writer").text


def test_expertise_directory_query_count_does_not_grow(client, uncached, db):
    def add(n):
        ProfileFactory.create_batch(
            n, in_expertise_directory=True, name_visibility=Visibility.PUBLIC,
            expertise_topics="Async Python", github="https://github.com/example",
        )  # fmt: skip

    add(3)
    client.get("/experts/")

    small, small_sql = get_with_queries(client, "/experts/")
    add(30)
    large, large_sql = get_with_queries(client, "/experts/")

    assert small.text.count("Async Python") == 3
    assert large.text.count("Async Python") == 24  # a full page
    assert len(large_sql) == len(small_sql), large_sql


def test_cached_directory_never_carries_one_members_own_view(client, db):
    secretive = ProfileFactory(
        display_name="Ayo", bio="AYO-SECRET", about_visibility=Visibility.ONLY_ME
    )
    other = ProfileFactory(display_name="Bisi")
    client.force_login(secretive.user)
    client.get("/members/directory/?q=ayo")  # Ayo's own visit fills the cache

    client.force_login(other.user)
    response = client.get("/members/directory/?q=ayo")

    assert names(response) == ["Ayo"]
    assert "AYO-SECRET" not in response.text


def test_cached_directory_shows_profile_changes_at_once(member_client):
    person = ProfileFactory(display_name="Before")
    member_client.get("/members/directory/")

    person.display_name = "After"
    person.save()

    assert "After" in names(member_client.get("/members/directory/"))
