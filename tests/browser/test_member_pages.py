"""Signed-in pages pass axe too, and fit a phone."""

import pytest
from django.conf import settings
from django.test import Client

from bpd.members.roles import Role
from bpd.members.visibility import Visibility
from tests.browser.conftest import settle_and_close
from tests.browser.test_public_site import AXE_OPTIONS
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.browser

MEMBER_PAGES = [
    "/members/",
    "/members/welcome/",
    "/members/profile/",
    "/members/profile/about/",
    "/members/profile/where/",
    "/members/profile/career/",
    "/members/profile/links/",
    "/members/profile/privacy/",
    "/members/directory/",
    "/members/connections/",
    "/members/my-data/",
    "/members/delete/",
    "/staff/",
    "/staff/members/",
    "/staff/invites/",
    "/staff/audit/",
    "/staff/mail-and-jobs/",
]


def mail_and_jobs():
    """Something in every table of the staff mail page."""
    from django.utils import timezone

    from bpd.background import jobs
    from bpd.background.models import OutgoingEmail

    now = timezone.now()
    for status, error in (("failed", "SMTPServerDisconnected: Connection unexpectedly closed"),
                          ("queued", "")):  # fmt: skip
        OutgoingEmail.objects.create(
            kind="fund/decision_award", recipients="amara.okafor@example.com",
            subject="Your award", status=status, attempts=5 if error else 0,
            last_error=error, message={}, next_attempt_at=now,
        )  # fmt: skip
    jobs.run_once("mail.sweep")


def signed_in_context(browser, live_server, user, **options):
    client = Client()
    client.force_login(user)
    context = browser.new_context(**options)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


@pytest.mark.parametrize("language", ["", "/ha", "/fr"])
def test_member_and_staff_pages_pass_axe(browser, live_site, live_server, language):
    from axe_playwright_python.sync_playwright import Axe

    user = UserFactory(roles=[Role.EXECUTOR])
    ProfileFactory(user=user, display_name="Staff person")
    ProfileFactory.create_batch(3, name_visibility=Visibility.MEMBERS)
    mail_and_jobs()
    context = signed_in_context(browser, live_server, user)
    page = context.new_page()
    axe = Axe()
    for path in MEMBER_PAGES:
        response = page.goto(live_site + language + path)
        assert response.status == 200, path
        results = axe.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, f"{path}:\n{results.generate_report()}"
    settle_and_close(context)


def test_member_pages_fit_a_phone(browser, live_site, live_server):
    user = UserFactory(roles=[Role.EXECUTOR])
    ProfileFactory(user=user)
    mail_and_jobs()
    context = signed_in_context(browser, live_server, user, viewport={"width": 360, "height": 740})
    page = context.new_page()
    for path in MEMBER_PAGES:
        page.goto(live_site + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    settle_and_close(context)
