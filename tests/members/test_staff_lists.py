import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bpd.audit import services as audit
from bpd.members.roles import Role
from tests.factories import ProfileFactory, UserFactory


@pytest.fixture
def executor_client(client, db):
    client.force_login(UserFactory(roles=[Role.EXECUTOR]))
    return client


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/staff/members/", "/staff/audit/", "/staff/invites/"])
def test_staff_list_query_count_does_not_grow(executor_client, url):
    from tests.members.test_invites_and_staff import make_invite

    def grow(n):
        ProfileFactory.create_batch(n)
        for profile in ProfileFactory.create_batch(n):
            audit.log(
                actor=None, verb="member.private_viewed", subject=profile.user, person=profile.user
            )
        for _ in range(n):
            make_invite(Role.LEADER)

    grow(2)
    small = count_queries(executor_client, url)
    grow(20)
    large = count_queries(executor_client, url)

    assert small == large


def test_demo_members_cover_countries_roles_and_visibilities(db):
    from bpd.members.demo import create_demo_members
    from bpd.members.models import Profile
    from tests.factories import CityFactory

    for n, country in enumerate(["NG", "KE", "GH", "US", "ZA", "BR"]):
        CityFactory(geonameid=100 + n, name=f"City {n}", country=country)

    created = create_demo_members(count=60, seed=1)

    assert created == 66  # six role accounts, sixty members
    profiles = Profile.objects.all()
    assert len({p.country for p in profiles}) >= 5
    assert {p.city_visibility for p in profiles} == {0, 1, 2, 3}
    groups = set(profiles.values_list("user__groups__name", flat=True))
    assert groups >= {"member", "leader", "reviewer", "treasurer", "executor", "partner"}
    assert create_demo_members(count=60, seed=1) == 0  # idempotent
