"""Issue 12, item 14: the expertise directory says what each expert is available for, and
a conference or employer can write to them through the site: the message goes on by
email with Reply-To set to the sender, the member's address is never shown, the member
can turn it off, and limits per sender, per member and per visitor stop floods."""

import datetime as dt
import io
import logging
import zipfile

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from bpd.background.models import OutgoingEmail
from bpd.members import jobs, services
from bpd.members.exports import collect
from bpd.members.models import ContactMessage
from bpd.members.visibility import Visibility
from tests.factories import ProfileFactory

PRIVATE_ADDRESS = "adaeze.private@example.com"


def listed(**extra):
    fields = {
        "in_expertise_directory": True,
        "name_visibility": Visibility.PUBLIC,
        "expertise_topics": "Async Python",
        "expertise_kinds": ["speaker", "mentor"],
    }
    return ProfileFactory(**fields | extra)


@pytest.fixture
def expert(db):
    return listed(display_name="Adaeze Obi", user__email=PRIVATE_ADDRESS)


def message(**overrides):
    data = {
        "sender_name": "Grace Hopper",
        "sender_email": "grace@pycon.example",
        "organisation": "PyCon Example",
        "about": "speaker",
        "message": "Would you give the keynote at PyCon Example in May?",
    }
    return data | overrides


def contact_url(profile):
    return f"/experts/{profile.pk}/contact/"


def send(client, profile, **overrides):
    return client.post(contact_url(profile), message(**overrides))


# Cards ----------------------------------------------------------------------------------


def test_expertise_cards_show_what_each_expert_is_available_as(client, expert):
    html = client.get("/experts/").text

    assert "Available as: <strong>Speaker, Mentor</strong>" in html


def test_expertise_cards_show_the_kinds_in_the_readers_language(client, expert):
    html = client.get("/fr/experts/").text

    assert "Disponible en tant que: <strong>Conférencier, Mentor</strong>" in html


def test_member_directory_cards_show_kinds_of_listed_experts_only(client, expert):
    ProfileFactory(display_name="Not listed", expertise_kinds=["writer"])
    client.force_login(ProfileFactory().user)

    html = client.get("/members/directory/").text

    assert "Available as: Speaker, Mentor" in html
    assert "Writer" not in html


def test_expertise_card_links_to_the_contact_page(client, expert):
    html = client.get("/experts/").text

    assert f'href="/experts/{expert.pk}/contact/"' in html
    assert "Contact Adaeze Obi" in html


# Sending --------------------------------------------------------------------------------


def test_contact_page_never_shows_the_members_address(client, expert):
    response = client.get(contact_url(expert))

    assert response.status_code == 200
    assert "Contact Adaeze Obi" in response.text
    assert PRIVATE_ADDRESS not in response.text


def test_contact_page_offers_the_members_kinds_and_something_else(client, expert):
    html = client.get(contact_url(expert)).text

    assert 'value="speaker"' in html
    assert 'value="mentor"' in html
    assert 'value="other"' in html
    assert 'value="writer"' not in html


def test_a_visitors_message_reaches_the_member_with_reply_to_the_sender(client, expert):
    response = send(client, expert)

    assert response.status_code == 302
    assert response["Location"] == f"/experts/{expert.pk}/contact/sent/"
    [email] = mail.outbox
    assert email.to == [PRIVATE_ADDRESS]
    assert email.reply_to == ["grace@pycon.example"]
    assert "Would you give the keynote at PyCon Example in May?" in email.body
    assert "Grace Hopper" in email.subject
    assert "PyCon Example" in email.body
    assert "Speaker" in email.body
    html = email.alternatives[0][0]
    assert "Would you give the keynote" in html


def test_the_confirmation_says_what_happens_next_without_the_members_address(client, expert):
    response = send(client, expert)
    page = client.get(response["Location"])

    assert page.status_code == 200
    assert "What happens next" in page.text
    assert "If Adaeze Obi replies" in page.text
    assert PRIVATE_ADDRESS not in page.text


def test_the_relayed_message_is_in_the_members_language(client, db):
    french = listed(display_name="Aminata", user__language="fr")

    send(client, french)

    [email] = mail.outbox
    assert "Conférencier" in email.body
    assert "Speaker" not in email.body


def test_signed_in_members_find_their_name_and_address_filled_in(client, expert):
    member = ProfileFactory(display_name="Kwame Mensah", user__email="kwame@example.com")
    client.force_login(member.user)

    html = client.get(contact_url(expert)).text

    assert 'value="Kwame Mensah"' in html
    assert 'value="kwame@example.com"' in html


def test_a_signed_in_member_can_send_too(client, expert):
    client.force_login(ProfileFactory().user)

    response = send(client, expert)

    assert response.status_code == 302
    assert len(mail.outbox) == 1


# Limits ---------------------------------------------------------------------------------


def test_one_sender_address_may_send_three_messages_a_day(client, db):
    experts = [listed() for _ in range(4)]
    for profile in experts[:3]:
        assert send(client, profile).status_code == 302

    response = send(client, experts[3])

    assert response.status_code == 429
    assert "You have sent as many messages" in response.text
    assert len(mail.outbox) == 3
    assert ContactMessage.objects.count() == 3


def test_the_sender_limit_ignores_the_case_of_the_address(client, db):
    experts = [listed() for _ in range(4)]
    for profile, address in zip(
        experts[:3], ["a@x.example", "A@x.example", "a@X.EXAMPLE"], strict=True
    ):
        send(client, profile, sender_email=address)

    response = send(client, experts[3], sender_email="a@x.example")

    assert response.status_code == 429


def test_one_member_receives_at_most_ten_messages_a_day(client, expert):
    for n in range(10):
        ContactMessage.objects.create(
            recipient=expert.user, sender_email=f"s{n}@example.com", origin=f"o{n}", about="speaker"
        )

    response = send(client, expert)

    assert response.status_code == 429
    assert "Adaeze Obi has received as many messages as we pass on in a day" in response.text
    assert mail.outbox == []
    assert ContactMessage.objects.count() == 10


def test_messages_older_than_a_day_no_longer_count(client, expert):
    long_ago = timezone.now() - dt.timedelta(hours=25)
    for n in range(10):
        ContactMessage.objects.create(
            recipient=expert.user, sender_email="grace@pycon.example", origin=f"o{n}",
            about="speaker", created_at=long_ago,
        )  # fmt: skip

    assert send(client, expert).status_code == 302


def test_one_visitor_address_may_send_five_messages_a_day(db):
    experts = [listed() for _ in range(6)]
    visitor = Client(REMOTE_ADDR="203.0.113.7")
    for n, profile in enumerate(experts[:5]):
        assert send(visitor, profile, sender_email=f"person{n}@example.com").status_code == 302

    refused = send(visitor, experts[5], sender_email="someone.else@example.com")
    elsewhere = send(Client(REMOTE_ADDR="198.51.100.1"), experts[5])

    assert refused.status_code == 429
    assert elsewhere.status_code == 302
    assert len(mail.outbox) == 6


# Who can be contacted -------------------------------------------------------------------


def test_a_member_who_turned_contact_off_has_no_link_and_no_page(client, db):
    quiet = listed(display_name="Quiet Expert", contact_allowed=False)

    assert "Quiet Expert" in client.get("/experts/").text
    assert contact_url(quiet) not in client.get("/experts/").text
    assert client.get(contact_url(quiet)).status_code == 404
    assert send(client, quiet).status_code == 404
    assert mail.outbox == []
    assert not ContactMessage.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"in_expertise_directory": False},
        {"name_visibility": Visibility.MEMBERS},  # not visible to visitors: not listed
        {"user__is_active": False},
        {"onboarded_at": None},
    ],
)
def test_members_not_in_the_public_directory_cannot_be_contacted(client, db, fields):
    hidden = listed(**fields)

    assert client.get(contact_url(hidden)).status_code == 404
    assert send(client, hidden).status_code == 404
    assert client.get(f"{contact_url(hidden)}sent/").status_code == 404
    assert mail.outbox == []


def test_turning_contact_off_in_privacy_closes_the_page_at_once(client, expert):
    client.force_login(expert.user)
    data = {
        "name_visibility": 3, "location_visibility": 2, "city_visibility": 0,
        "about_visibility": 2, "career_visibility": 1, "links_visibility": 2,
    }  # fmt: skip

    response = client.post("/members/profile/privacy/", data)  # the box left unticked

    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.contact_allowed is False
    client.logout()
    assert client.get(contact_url(expert)).status_code == 404


def test_contact_is_on_by_default(db):
    assert ProfileFactory().contact_allowed is True


# Hostile input --------------------------------------------------------------------------


def test_a_filled_in_hidden_field_sends_nothing(client, expert):
    response = client.post(contact_url(expert), message(homepage="http://spam.example"))

    assert response.status_code == 302  # told it went, so a program learns nothing
    assert mail.outbox == []
    assert not ContactMessage.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"message": "x" * 2001}, "at most 2000 characters"),
        ({"message": "   "}, "This field is required"),
        ({"message": "\u202e\u200b"}, "Please write your message"),
        ({"message": "Hello\x00"}, "Null characters are not allowed"),
        ({"sender_email": "grace@pycon.example\nBcc: victim@example.com"}, "valid email"),
        ({"sender_email": "not an address"}, "valid email"),
        ({"sender_name": "\u200b"}, "Please give your name"),
        ({"sender_name": "x" * 101}, "at most 100 characters"),
        ({"organisation": "x" * 201}, "at most 200 characters"),
        ({"about": "writer"}, "Select a valid choice"),
    ],
)
def test_hostile_input_gets_a_message_and_sends_nothing(client, expert, overrides, error):
    response = send(client, expert, **overrides)

    assert response.status_code == 200
    assert error in response.text
    assert mail.outbox == []
    assert not ContactMessage.objects.exists()


def test_the_message_limit_is_shown_beside_the_field(client, expert):
    assert "Up to 2000 characters." in client.get(contact_url(expert)).text


def test_headers_cannot_be_injected_through_the_name(client, expert):
    send(client, expert, sender_name="Eve\r\nBcc: victim@example.com", organisation="Org\nX: y")

    [email] = mail.outbox
    assert email.recipients() == [PRIVATE_ADDRESS]
    assert "\n" not in email.subject
    assert "Bcc" not in str(email.message()["Bcc"] or "")


def test_markup_and_direction_tricks_do_not_survive_into_the_email(client, expert):
    send(client, expert, message="<script>alert(1)</script>\u202eevil\nSecond line")

    [email] = mail.outbox
    html = email.alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "\u202e" not in email.body
    assert "evil\nSecond line" in email.body


# What is kept ---------------------------------------------------------------------------


def test_only_who_wrote_and_when_is_recorded_never_the_text(client, expert):
    send(client, expert, sender_email="Grace@PyCon.example")

    record = ContactMessage.objects.get()
    assert (record.recipient, record.sender_email, record.about) == (
        expert.user,
        "grace@pycon.example",
        "speaker",
    )
    stored = " ".join(str(getattr(record, f.attname)) for f in ContactMessage._meta.fields)
    assert "keynote" not in stored
    assert "127.0.0.1" not in stored  # the origin is a keyed hash


def test_the_queued_email_forgets_the_text_once_delivered(
    client, expert, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "bpd.background.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True):
        send(client, expert)

    [email] = mail.outbox
    assert email.reply_to == ["grace@pycon.example"]
    row = OutgoingEmail.objects.get(kind="members/email/contact")
    assert row.status == "sent"
    assert row.message is None


def test_contact_records_are_removed_after_thirty_days(expert):
    now = timezone.now()
    for age in (29, 31):
        ContactMessage.objects.create(
            recipient=expert.user, sender_email="a@example.com", origin="o", about="speaker",
            created_at=now - dt.timedelta(days=age),
        )  # fmt: skip

    jobs.remove_old_contact_messages(now=now)

    assert ContactMessage.objects.count() == 1


def test_download_my_data_lists_messages_received_and_sent(client, expert):
    sender = ProfileFactory(display_name="Kwame", user__email="kwame@example.com")
    client.force_login(sender.user)
    send(client, expert, sender_email="kwame@example.com")

    received = collect(expert.user)["contact_messages"]["received"]
    sent = collect(sender.user)["contact_messages"]["sent"]

    assert [(r["from"], r["about"]) for r in received] == [("kwame@example.com", "speaker")]
    assert [(s["to"], s["about"]) for s in sent] == [("Adaeze Obi", "speaker")]


def test_the_readable_export_names_the_kind_and_the_date(client, expert):
    send(client, expert)
    client.force_login(expert.user)

    archive = zipfile.ZipFile(io.BytesIO(client.post("/members/my-data/").content))
    readable = archive.read("data.md").decode()

    assert "Messages through the expertise directory" in readable
    assert "grace@pycon.example: Speaker (" in readable


def test_deleting_an_account_deletes_its_contact_records_both_ways(client, expert):
    sender = ProfileFactory(user__email="kwame@example.com")
    send(client, expert, sender_email="kwame@example.com")
    send(client, listed(), sender_email="kwame@example.com")

    services.delete_account(user=sender.user)
    services.delete_account(user=expert.user)

    assert not ContactMessage.objects.exists()


def test_each_message_passed_on_is_logged_without_addresses(client, expert, caplog):
    with caplog.at_level(logging.INFO, logger="bpd.members.services"):
        send(client, expert)

    [line] = [r.getMessage() for r in caplog.records if "passed on" in r.getMessage()]
    assert str(expert.pk) in line
    assert "@" not in line
