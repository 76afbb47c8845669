import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bpd.audit.models import Entry
from bpd.members.models import Skill
from bpd.members.roles import Role
from bpd.members.visibility import Visibility
from tests.factories import ProfileFactory, UserFactory


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


@pytest.mark.parametrize("size", [5, 40])
def test_directory_query_count_does_not_grow(member_client, size):
    skill = Skill.objects.create(name="Django", slug="django")
    for profile in ProfileFactory.create_batch(size):
        profile.skills.add(skill)
    member_client.get("/members/directory/")

    with CaptureQueriesContext(connection) as queries:
        response = member_client.get("/members/directory/")

    assert response.status_code == 200
    # user and roles; the session and the results come from the cache until something changes
    assert len(queries) == 2, [q["sql"] for q in queries]


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


@pytest.mark.parametrize("size", [3, 30])
def test_expertise_directory_query_count_does_not_grow(client, db, size):
    ProfileFactory.create_batch(
        size, in_expertise_directory=True, name_visibility=Visibility.PUBLIC, expertise_topics="x"
    )
    client.get("/experts/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/experts/")

    assert len(queries) == 2, [q["sql"] for q in queries]


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
