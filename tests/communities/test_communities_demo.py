"""The demo communities: five in five countries through the services (leaders, members,
hosted and published events), one proposal waiting; idempotent."""

import pytest

from bpd.communities.demo import create_demo_communities
from bpd.communities.models import Community, Leadership, Membership
from bpd.events.models import Event
from bpd.members.demo import demo_email
from bpd.members.roles import Role
from tests.factories import CityFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_accounts():
    for role in (Role.EXECUTOR, Role.LEADER, Role.MEMBER):
        ProfileFactory(user=UserFactory(email=demo_email(role.value), roles=[role]))
    for n in range(60):
        ProfileFactory(user=UserFactory(email=demo_email(f"member{n:04}")))
    for name, country, zone in (
        ("Accra", "GH", "Africa/Accra"), ("Lagos", "NG", "Africa/Lagos"),
        ("Nairobi", "KE", "Africa/Nairobi"), ("Kingston", "JM", "America/Jamaica"),
        ("São Paulo", "BR", "America/Sao_Paulo"), ("Kampala", "UG", "Africa/Kampala"),
    ):  # fmt: skip
        CityFactory(name=name, ascii_name=name.replace("ã", "a").casefold(), country=country,
                    timezone=zone)  # fmt: skip


def test_five_communities_in_five_countries_and_a_proposal(demo_accounts):
    assert create_demo_communities() == 6

    active = Community.objects.active()
    assert active.count() == 5
    assert len(set(active.values_list("country", flat=True))) == 5
    accra = Community.objects.get(slug="pydata-accra")
    assert Leadership.objects.get(community=accra).user.email == demo_email("leader")
    assert accra.texts.filter(language="fr").exists()
    assert Membership.objects.filter(community=accra, user__email=demo_email("member")).exists()
    assert Community.objects.get(status=Community.Status.PROPOSED).name == "Python Kampala"
    for community in active:
        hosted = Event.objects.filter(community_host__community=community)
        assert 1 <= hosted.count() <= 2
        assert set(hosted.values_list("status", flat=True)) == {Event.Status.PUBLISHED}
    assert Event.objects.exclude(rule="").filter(community_host__community=accra).exists()


def test_running_it_again_adds_nothing(demo_accounts):
    create_demo_communities()
    assert create_demo_communities() == 0
    assert Community.objects.count() == 6
