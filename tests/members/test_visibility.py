import pytest
from django.contrib.auth.models import AnonymousUser

from bpd.members.roles import Role
from bpd.members.selectors import ProfileView
from bpd.members.visibility import Visibility
from tests.factories import CityFactory, ProfileFactory, UserFactory

VIEWERS = ["self", "leader", "executor", "member", "anonymous"]
# Which viewers see a field at each setting.
EXPECTED = {
    Visibility.ONLY_ME: {"self"},
    Visibility.LEADERS: {"self", "leader", "executor"},
    Visibility.MEMBERS: {"self", "leader", "executor", "member"},
    Visibility.PUBLIC: set(VIEWERS),
}


def viewer(kind, owner):
    return {
        "self": lambda: owner,
        "leader": lambda: UserFactory(roles=[Role.LEADER]),
        "executor": lambda: UserFactory(roles=[Role.EXECUTOR]),
        "member": lambda: UserFactory(),
        "anonymous": AnonymousUser,
    }[kind]()


@pytest.mark.parametrize("setting", list(Visibility))
@pytest.mark.parametrize("kind", VIEWERS)
def test_city_is_seen_only_by_its_audience(db, setting, kind):
    profile = ProfileFactory(city=CityFactory(name="Kano"), city_visibility=setting)

    view = ProfileView(profile, viewer(kind, profile.user))

    assert (view.city == "Kano") == (kind in EXPECTED[setting])


@pytest.mark.parametrize("setting", list(Visibility))
@pytest.mark.parametrize("kind", VIEWERS)
def test_every_field_group_follows_its_setting(db, setting, kind):
    profile = ProfileFactory(
        bio="Builds data pipelines",
        career_status="open",
        github="https://github.com/someone",
        about_visibility=setting,
        career_visibility=setting,
        links_visibility=setting,
        location_visibility=setting,
    )
    seen = kind in EXPECTED[setting]

    view = ProfileView(profile, viewer(kind, profile.user))

    assert (view.bio == "Builds data pipelines") == seen
    assert (view.career_status is not None) == seen
    assert bool(view.links) == seen
    assert (view.country == "NG") == seen


def test_new_profiles_share_country_but_not_city(db):
    profile = ProfileFactory(city=CityFactory())

    view = ProfileView(profile, UserFactory())

    assert view.country == "NG"
    assert view.city is None
    assert view.time_zone is None


def test_private_fields_seen_lists_leader_only_fields_for_staff(db):
    profile = ProfileFactory(
        career_visibility=Visibility.LEADERS, city_visibility=Visibility.ONLY_ME
    )

    view = ProfileView(profile, UserFactory(roles=[Role.EXECUTOR]))

    assert view.private_fields_seen() == ["career_status"]
