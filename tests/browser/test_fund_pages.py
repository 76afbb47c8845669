"""The Fund's pages pass axe and fit a phone, for each person who uses them."""

import pytest

from bpd.members.roles import Role
from bpd.members.services import ensure_groups
from tests.access.world import fund_world
from tests.browser.conftest import settle_and_close
from tests.browser.test_member_pages import signed_in_context
from tests.browser.test_public_site import AXE_OPTIONS
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.browser


def pages_for(round, application):
    return {
        "target": ["/fund/", f"/fund/applications/{application.pk}/"],
        "reviewer": [
            f"/fund/{round.slug}/review/",
            f"/fund/applications/{application.pk}/review/",
            f"/fund/{round.slug}/committee/",
        ],
        "executor": [
            "/fund/manage/",
            f"/fund/{round.slug}/edit/",
            f"/fund/{round.slug}/allocate/",
            f"/fund/applications/{application.pk}/decide/",
        ],
        "treasurer": [
            f"/fund/{round.slug}/money/",
            f"/fund/applications/{application.pk}/bookings/",
            f"/fund/{round.slug}/report/",
            "/fund/visa/wait-times/",
        ],
    }


@pytest.mark.parametrize("language", ["", "/sw"])
def test_fund_pages_pass_axe_and_fit_a_phone(browser, live_server, transactional_db, language):
    from axe_playwright_python.sync_playwright import Axe

    ensure_groups()
    users = {
        role: UserFactory(roles=[Role(role)]) for role in ("reviewer", "executor", "treasurer")
    }
    for user in users.values():
        ProfileFactory(user=user)
    target = ProfileFactory(display_name="Traveller").user
    users["target"] = target
    round, application = fund_world(target, users)
    axe = Axe()
    for role, paths in pages_for(round, application).items():
        context = signed_in_context(
            browser, live_server, users[role], viewport={"width": 360, "height": 740}
        )
        page = context.new_page()
        for path in paths:
            response = page.goto(live_server.url + language + path)
            assert response.status == 200, path
            results = axe.run(page, options=AXE_OPTIONS)
            assert results.violations_count == 0, f"{path}:\n{results.generate_report()}"
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
        settle_and_close(context)
