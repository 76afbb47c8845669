"""A newcomer joins with an emailed code, onboards, edits her profile, and another
member sees exactly what her visibility settings allow."""

import re

import pytest
from django.core import mail

from bpd.members.models import Profile
from tests.browser.conftest import settle_and_close
from tests.factories import CityFactory, ProfileFactory

pytestmark = pytest.mark.browser
CODE = re.compile(r"^\s+([A-Z0-9-]{6,})\s*$", re.M)


def latest_code():
    return CODE.search(mail.outbox[-1].body).group(1)


def test_join_onboard_edit_and_visibility_seen_by_another_member(
    browser, live_server, transactional_db
):
    CityFactory(name="Accra", ascii_name="accra", country="GH", timezone="Africa/Accra")
    other = ProfileFactory(user__email="kwame@example.com", display_name="Kwame")
    base = live_server.url

    # She joins from a phone-sized screen.
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(base + "/")
    page.get_by_role("link", name="Join", exact=True).click()
    page.get_by_label("Email").fill("efua@example.com")
    page.get_by_label("I have read the code of conduct").check()
    page.get_by_label("I identify as a Black Python developer").check()
    page.get_by_role("button", name="Join and get a code").click()
    page.get_by_label("Code").fill(latest_code())
    page.get_by_role("button", name="Confirm").click()

    # Onboarding: one short page.
    assert page.url.endswith("/members/welcome/")
    page.get_by_label("Display name").fill("Efua Mensah")
    page.get_by_label("City").fill("accra")
    page.get_by_label("Intermediate").check()
    page.get_by_role("button", name="Save and continue").click()
    assert page.url.endswith("/members/")
    assert page.get_by_role("heading", name="Welcome, Efua Mensah").is_visible()

    # She adds a bio and shares it with members, and makes her city visible to members:
    # the profile is an overview of short parts, each changed on its own page.
    page.get_by_role("link", name="Edit your profile and who sees it").first.click()
    page.get_by_role("link", name="Change about you").click()
    page.get_by_label("Short bio").fill("I build data pipelines in Accra.")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Your changes to “About you” are saved.").is_visible()
    assert page.get_by_text("I build data pipelines in Accra.").is_visible()
    page.get_by_role("link", name="Change privacy").click()
    page.get_by_label("Who sees your city and time zone").select_option(label="Members")
    page.get_by_role("button", name="Save").click()
    assert page.url.endswith("/members/profile/#privacy")
    profile = Profile.objects.get(user__email="efua@example.com")
    assert profile.city.name == "Accra"
    assert profile.time_zone == "Africa/Accra"

    # Kwame, another member, sees her bio and city.
    other_context = browser.new_context()
    other_page = other_context.new_page()
    other_page.goto(base + "/accounts/login/code/")
    other_page.get_by_label("Email").fill(other.user.email)
    other_page.get_by_role("button", name="Send me a code").click()
    other_page.get_by_label("Code").fill(latest_code())
    other_page.get_by_role("button", name="Confirm").click()
    other_page.goto(base + f"/members/{profile.pk}/")
    assert other_page.get_by_text("I build data pipelines in Accra.").is_visible()
    assert other_page.get_by_text("Accra, Ghana").is_visible()

    # She hides her bio again ("only me"): Kwame no longer sees it, at once.
    page.goto(base + "/members/profile/privacy/")
    page.get_by_label("Who sees your bio, roles, skills, level and languages").select_option(
        label="Only me"
    )
    page.get_by_role("button", name="Save").click()
    settle_and_close(context)
    other_page.reload()
    assert other_page.get_by_text("I build data pipelines in Accra.").count() == 0
    settle_and_close(other_context)
