"""A conference organiser who is not a member finds an expert in the directory and writes
to her through the site; the member gets the message by email, with Reply-To set to the
organiser, and her own address is never shown."""

import pytest
from django.core import mail

from bpd.members.visibility import Visibility
from tests.factories import ProfileFactory

pytestmark = pytest.mark.browser


def test_a_visitor_contacts_an_expert_from_the_directory(page, live_site):
    expert = ProfileFactory(
        display_name="Adaeze Obi", user__email="adaeze.private@example.com",
        in_expertise_directory=True, name_visibility=Visibility.PUBLIC,
        expertise_topics="Async Python and data pipelines", expertise_kinds=["speaker", "mentor"],
    )  # fmt: skip

    page.goto(live_site + "/experts/")
    card = page.locator("li.card", has_text="Adaeze Obi")
    assert card.get_by_text("Available as: Speaker, Mentor").is_visible()
    card.get_by_role("link", name="Contact Adaeze Obi").click()

    assert page.url.endswith(f"/experts/{expert.pk}/contact/")
    assert page.get_by_role("heading", name="Contact Adaeze Obi").is_visible()
    page.get_by_label("Your name").fill("Grace Hopper")
    page.get_by_label("Your email address").fill("grace@pycon.example")
    page.get_by_label("Your organisation").fill("PyCon Example")
    page.get_by_label("Speaker").check()
    page.get_by_label("Your message").fill("Would you give the keynote at PyCon Example in May?")
    page.get_by_role("button", name="Send message").click()

    assert page.get_by_role("heading", name="Message sent").is_visible()
    assert page.get_by_role("heading", name="What happens next").is_visible()
    assert "adaeze.private@example.com" not in page.content()
    [email] = mail.outbox
    assert email.to == ["adaeze.private@example.com"]
    assert email.reply_to == ["grace@pycon.example"]
    assert "Would you give the keynote at PyCon Example in May?" in email.body


def test_the_contact_form_fits_a_phone_and_works_without_javascript(browser, live_site):
    expert = ProfileFactory(
        display_name="Kofi Mensah", in_expertise_directory=True,
        name_visibility=Visibility.PUBLIC, expertise_topics="Django", expertise_kinds=["writer"],
    )  # fmt: skip
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    phone = context.new_page()

    phone.goto(live_site + f"/experts/{expert.pk}/contact/")
    phone.get_by_label("Your name").fill("Ama")
    phone.get_by_label("Your email address").fill("ama@example.com")
    phone.get_by_label("Writer").check()
    phone.get_by_label("Your message").fill("An article for our magazine?")
    phone.get_by_role("button", name="Send message").click()

    assert phone.get_by_role("heading", name="Message sent").is_visible()
    assert len(mail.outbox) == 1
    context.close()
