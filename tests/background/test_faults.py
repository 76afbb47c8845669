"""Shared services down, and the client address behind proxies (issue 8)."""

import pytest
import redis.exceptions
from django.core.cache import cache
from django.test import Client

from bpd.background import jobs
from tests.factories import UserFactory


def take_redis_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379.")

    for method in ("get", "set", "add", "incr", "delete", "get_many", "set_many"):
        monkeypatch.setattr(cache, method, refuse)


@pytest.fixture
def redis_down(monkeypatch):
    take_redis_down(monkeypatch)


@pytest.mark.parametrize(
    ("path", "language", "words"),
    [
        ("/members/", "en", "The site is busy for a moment"),
        ("/about/", "en", "The site is busy for a moment"),
        ("/fr/about/", "fr", None),
    ],
)
def test_pages_answer_503_when_the_shared_cache_is_down(db, monkeypatch, path, language, words):
    client = Client(raise_request_exception=False)
    if path == "/members/":
        client.force_login(UserFactory())
    take_redis_down(monkeypatch)

    response = client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.text
    assert f'<html lang="{language}">' in body
    assert "Traceback" not in body
    if words:
        assert words in body
    else:
        assert "The site is busy for a moment" not in body  # translated


def test_a_bug_is_still_a_500(db, monkeypatch):
    client = Client(raise_request_exception=False)
    monkeypatch.setattr(cache, "get", lambda *a, **k: 1 / 0)

    assert client.get("/about/").status_code == 500


def test_readiness_reports_each_part(db):
    jobs.beat()

    response = Client().get("/healthz/ready")

    lines = response.text.splitlines()
    assert response.status_code == 200
    assert lines[:2] == ["database: ok", "cache: ok"]
    assert lines[2].startswith("worker: ok (last seen ")
    assert lines[3].startswith("queue: ok (")


def test_readiness_fails_when_the_cache_is_down(db, redis_down):
    response = Client().get("/healthz/ready")

    assert response.status_code == 503
    assert "cache: unavailable (ConnectionError)" in response.text


def test_the_plain_health_check_stays_cheap_and_up(db, redis_down):
    assert Client().get("/healthz").status_code == 200


def code_request(address, *, forwarded_for=None, email):
    headers = {"REMOTE_ADDR": address}
    if forwarded_for:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return Client().post("/accounts/login/code/", {"email": email}, **headers)


def test_behind_a_proxy_each_client_has_its_own_ip_limit(db, settings):
    """Finding (issue 8): behind a proxy every visitor shared the proxy's limit."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"

    first = [
        code_request(proxy, forwarded_for="198.51.100.7", email=f"a{n}@example.com")
        for n in range(11)
    ]
    other = code_request(proxy, forwarded_for="203.0.113.9", email="b@example.com")

    assert [r.status_code for r in first[:10]] == [302] * 10
    assert "Too many" in first[10].text  # that client hit its own limit
    assert other.status_code == 302  # another client behind the same proxy did not


def test_a_forged_forwarded_for_cannot_dodge_the_limit(db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # The proxy appends the real peer; what the client wrote before it is ignored.
    responses = [
        code_request(
            "10.0.0.1", forwarded_for=f"1.2.3.{n}, 198.51.100.7", email=f"c{n}@example.com"
        )
        for n in range(11)
    ]

    assert "Too many" in responses[10].text


def test_a_short_forwarded_for_falls_back_to_the_peer_address(db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2

    response = code_request("10.0.0.1", forwarded_for="198.51.100.7", email="d@example.com")

    assert response.status_code == 302
