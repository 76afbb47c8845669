import re

import pytest

from bpd.audit import services as audit
from bpd.members.roles import Role
from tests.factories import ProfileFactory, UserFactory
from tests.queries import get_with_queries


@pytest.fixture
def executor_client(client, db):
    client.force_login(UserFactory(roles=[Role.EXECUTOR]))
    return client


def table_rows(response):
    return re.findall(r"<tr>\s*<td", response.text)


@pytest.mark.parametrize("url", ["/staff/members/", "/staff/audit/", "/staff/invites/"])
def test_staff_list_query_count_does_not_grow(executor_client, uncached, url):
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
    executor_client.get(url)  # the first page view creates the site settings

    small, small_sql = get_with_queries(executor_client, url)
    grow(20)
    large, large_sql = get_with_queries(executor_client, url)

    assert len(table_rows(large)) >= len(table_rows(small)) + 20
    assert len(large_sql) == len(small_sql), large_sql


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
