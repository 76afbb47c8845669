import pytest
from django.db import transaction

from tests.access.world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the module, built once inside a transaction that is rolled back at
    the end; each test runs in a savepoint of it, and each request in one more."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _sessions_outside_the_database(settings):
    """Sessions live in the cache here: each request's savepoint is rolled back, and a
    session row rolled back under a live cookie would end the next request with 400."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
