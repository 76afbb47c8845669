"""A refused form, in a real browser: the error summary leads the page, takes the focus
without any script, and its links move the focus to the field."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("prefix", ["", "/ha"])
def test_the_error_summary_takes_the_focus_and_leads_to_the_field(phone, live_site, prefix):
    phone.goto(f"{live_site}{prefix}/accounts/signup/")
    phone.fill("input[name=email]", "not an address")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_load_state("load")

    focused = phone.evaluate("document.activeElement.className")
    assert focused == "error-summary"
    first_in_main = phone.evaluate("document.querySelector('main').firstElementChild.className")
    assert first_in_main == "error-summary"

    phone.locator(".error-summary a").first.click()
    target = phone.evaluate("document.activeElement.name")
    assert target in {"email", "code_of_conduct", "identity"}
