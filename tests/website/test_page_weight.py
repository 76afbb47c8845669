"""Every public page fits the budget: HTML + CSS at most 14 KB gzip, no third-party requests."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

from bpd.website import languages
from tests.public_pages import PUBLIC_PATHS

BUDGET = 14 * 1024


def css_bytes():
    with open(finders.find("website/site.css"), "rb") as handle:
        return handle.read()


@pytest.mark.parametrize("code", languages.CODES)
@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_page_fits_the_budget(client, site_content, path, code):
    response = client.get(languages.prefixed(path, code))

    assert response.status_code == 200
    size = len(gzip.compress(response.content)) + len(gzip.compress(css_bytes()))
    assert size <= BUDGET, f"{size} bytes gzip"


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_page_loads_nothing_from_other_hosts(client, site_content, path):
    html = client.get(path).text

    # Anything the browser fetches by itself: scripts, styles, images, frames, icons.
    fetched = re.findall(r'<(?:script|img|iframe|source)[^>]+src="([^"]+)"', html)
    fetched += re.findall(r'<link rel="(?:stylesheet|icon|preload)"[^>]+href="([^"]+)"', html)
    assert fetched, "expected at least the stylesheet"
    assert all(url.startswith("/") and not url.startswith("//") for url in fetched), fetched
