import pytest
from django.conf import settings
from django.core.cache import cache

from bpd.content_import.runs import import_tree
from bpd.pages.services import load_team
from bpd.website.services import load_site_settings


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets an empty cache, its own media folder and the default language.

    A request to a /fr/ address leaves French active in this thread; without the reset a
    later test reading a message would read it in French, depending on the order tests run.
    """
    from django.utils import translation

    from bpd.website.versions import versioned

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    versioned.local.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
    cache.clear()
    versioned.local.clear()


@pytest.fixture
def uncached(settings, monkeypatch):
    """Every cache misses: the shared cache, and this process's copies in front of it.

    A query count taken under this fixture measures rendering a page, not reading it back
    from a cache that an earlier request of the same test filled.
    """
    from bpd.website.versions import versioned

    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        for alias in settings.CACHES
    }
    versioned.local.clear()
    monkeypatch.setattr(versioned.local, "get", lambda key: None)


@pytest.fixture
def site_content(db):
    """The site's real content, as `python3 dev.py start` loads it."""
    import yaml

    content = settings.BASE_DIR / "content"
    import_tree(content)
    load_team(yaml.safe_load((content / "team.yaml").read_text()))
    load_site_settings(yaml.safe_load((content / "site.yaml").read_text()))
    return content
