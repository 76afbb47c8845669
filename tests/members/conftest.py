import pytest

from tests.factories import ProfileFactory


@pytest.fixture
def signed_in(client, db):
    profile = ProfileFactory(display_name="Me")
    client.force_login(profile.user)
    return client, profile
