"""A request to a /fr/ address leaves French active in the thread; the test after it must
still start in the default language (tests/conftest.py resets it). The last CI run of
issue 15 failed on 41 tests that read messages in French for this reason."""

from django.conf import settings
from django.utils import translation


def test_a_french_request_leaves_french_active_in_the_thread(client, db):
    client.get("/fr/")
    assert translation.get_language() == "fr"  # what leaked before the reset


def test_the_next_test_starts_in_the_default_language(db):
    # `db` keeps this test next to the one above: pytest-django runs the tests that use
    # the database apart from the others.
    assert translation.get_language() == settings.LANGUAGE_CODE
