"""Joining and signing in with emailed codes (django-allauth login-by-code)."""

import re

import pytest
from django.core import mail
from django.test import Client

from bpd.members.models import User
from tests.factories import ProfileFactory, UserFactory

CODE = re.compile(r"^\s+([A-Z0-9-]{6,})\s*$", re.M)


def code_from(message):
    return CODE.search(message.body).group(1)


def join(client, email, prefix=""):
    return client.post(
        f"{prefix}/accounts/signup/",
        {"email": email, "accept_code_of_conduct": "on", "affirm_identity": "on"},
    )


def test_join_sends_code_then_onboards(client, db):
    response = join(client, "amara@example.com")

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amara@example.com"]
    assert message.alternatives[0][1] == "text/html"
    user = User.objects.get(email="amara@example.com")
    assert user.code_of_conduct_accepted_at is not None
    assert user.identity_affirmed_at is not None
    assert not user.has_usable_password()

    confirm = client.post(response.headers["Location"], {"code": code_from(message)})

    assert confirm.status_code == 302
    assert confirm.headers["Location"] == "/members/welcome/"
    onboarding = client.post(
        "/members/welcome/", {"display_name": "Amara", "country": "GH", "skill_level": "beginner"}
    )
    assert onboarding.headers["Location"] == "/members/"
    user.profile.refresh_from_db()
    assert user.profile.onboarded_at is not None
    assert user.groups.filter(name="member").exists()


def test_join_requires_both_acceptances(client, db):
    response = client.post("/accounts/signup/", {"email": "x@example.com"})

    assert response.status_code == 200
    assert "Please accept the code of conduct" in response.text
    assert not User.objects.exists()
    assert mail.outbox == []


def test_join_with_existing_address_sends_sign_in_code(client, db):
    ProfileFactory(user__email="kofi@example.com")

    response = join(client, "Kofi@Example.com")

    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/code/confirm/"
    assert User.objects.count() == 1
    assert "sign-in code" in mail.outbox[0].subject
    confirm = client.post("/accounts/login/code/confirm/", {"code": code_from(mail.outbox[0])})
    assert confirm.status_code == 302
    assert client.get("/members/").status_code == 200


def test_sign_in_with_emailed_code(client, db):
    ProfileFactory(user__email="zuri@example.com")

    client.post("/accounts/login/code/", {"email": "zuri@example.com"})
    response = client.post("/accounts/login/code/confirm/", {"code": code_from(mail.outbox[0])})

    assert response.status_code == 302
    assert client.get("/members/").status_code == 200


def test_wrong_code_does_not_sign_in(client, db):
    ProfileFactory(user__email="zuri@example.com")
    client.post("/accounts/login/code/", {"email": "zuri@example.com"})

    client.post("/accounts/login/code/confirm/", {"code": "WRONG1"})

    assert "_auth_user_id" not in client.session
    assert client.get("/members/").headers["Location"].startswith("/accounts/login/")


def test_expired_code_does_not_sign_in(client, db, settings):
    ProfileFactory(user__email="zuri@example.com")
    settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT = -1
    client.post("/accounts/login/code/", {"email": "zuri@example.com"})

    client.post("/accounts/login/code/confirm/", {"code": code_from(mail.outbox[0])})

    assert "_auth_user_id" not in client.session
    assert client.get("/members/").headers["Location"].startswith("/accounts/login/")


def request_code(email):
    # A fresh browser each time: one with a pending code is sent back to the code page.
    return Client().post("/accounts/login/code/", {"email": email})


def test_code_requests_are_rate_limited_per_address(db):
    UserFactory(email="busy@example.com")

    responses = [request_code("busy@example.com") for _attempt in range(4)]

    assert [r.status_code for r in responses[:3]] == [302, 302, 302]
    assert responses[3].status_code == 200
    assert "Too many" in responses[3].text
    assert len(mail.outbox) == 3


def test_code_requests_are_rate_limited_per_ip(db):
    responses = [request_code(f"p{n}@example.com") for n in range(11)]

    assert responses[0].status_code == 302
    assert responses[10].status_code == 200
    assert "Too many" in responses[10].text


def test_code_email_uses_members_language(client, db):
    UserFactory(email="fatou@example.com", language="fr")

    client.post("/accounts/login/code/", {"email": "fatou@example.com"})

    message = mail.outbox[0]
    assert "Your sign-in code is" not in message.body
    assert 'lang="fr"' in message.alternatives[0][0]


def test_signing_in_remembers_the_page_language_for_email(client, db):
    user = UserFactory(email="musa@example.com", language="en")

    client.post("/ha/accounts/login/code/", {"email": "musa@example.com"})
    client.post("/ha/accounts/login/code/confirm/", {"code": code_from(mail.outbox[0])})

    user.refresh_from_db()
    assert user.language == "ha"


def test_password_login_page_redirects_to_code_sign_in(client, db):
    response = client.get("/accounts/login/?next=/members/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/code/?next=/members/"


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/"])
def test_admin_sign_in_goes_through_code_sign_in(client, db, path):
    response = client.get(path, follow=True)

    assert response.redirect_chain[-1][0].startswith("/accounts/login/code/")


def test_demo_sign_in_lists_one_account_per_role(client, db, settings):
    from bpd.members.demo import ROLE_ACCOUNTS, demo_email

    settings.DEMO_SIGN_IN = True
    for role in ROLE_ACCOUNTS:
        UserFactory(email=demo_email(role.value))
    UserFactory(email="demo-member0001@demo.blackpythondevs.test")

    response = client.get("/dev/sign-in-as/")

    assert response.text.count('type="submit" class="secondary">demo-') == len(ROLE_ACCOUNTS)


def test_demo_sign_in_does_not_exist_when_turned_off(client, db, settings):
    settings.DEMO_SIGN_IN = False

    assert client.get("/dev/sign-in-as/").status_code == 404
