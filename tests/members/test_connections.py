"""GitHub and Discord connections against a local fake of each service."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from bpd.members.models import Connection
from tests.factories import ProfileFactory


class FakeServices(BaseHTTPRequestHandler):
    calls = []

    def log_message(self, *args):
        pass

    def _reply(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        self.calls.append((self.command, self.path, self.headers.get("Authorization"), body))
        return body

    def do_POST(self):
        body = self._record()
        form = parse_qs(body)
        if form.get("code") == ["bad"]:
            return self._reply(400, {"error": "bad_verification_code"})
        return self._reply(200, {"access_token": "tok-123", "token_type": "bearer"})

    def do_GET(self):
        self._record()
        if self.path == "/api/user":
            return self._reply(200, {"id": 42, "login": "octo-ada"})
        if self.path == "/discord/api/users/@me":
            return self._reply(200, {"id": "8001", "username": "ada_discord"})
        return self._reply(404, {})

    def do_PUT(self):
        self._record()
        return self._reply(201, {})


@pytest.fixture
def fake(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeServices)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    FakeServices.calls = []
    settings.GITHUB_CLIENT_ID, settings.GITHUB_CLIENT_SECRET = "gh-id", "gh-secret"
    settings.GITHUB_URL, settings.GITHUB_API_URL = base, base + "/api"
    settings.DISCORD_CLIENT_ID, settings.DISCORD_CLIENT_SECRET = "dc-id", "dc-secret"
    settings.DISCORD_URL, settings.DISCORD_API_URL = base + "/discord", base + "/discord/api"
    yield FakeServices
    server.shutdown()


@pytest.fixture
def member(client, db):
    profile = ProfileFactory()
    client.force_login(profile.user)
    return profile.user


def start(client, provider):
    response = client.post(f"/members/connections/{provider}/start/")
    assert response.status_code == 302
    return parse_qs(urlsplit(response.headers["Location"]).query)


def test_connect_github(client, member, fake):
    query = start(client, "github")

    response = client.get(
        "/members/connections/github/callback/", {"code": "good", "state": query["state"][0]}
    )

    assert response.status_code == 302
    connection = Connection.objects.get(user=member)
    assert (connection.provider, connection.external_id, connection.username) == (
        "github",
        "42",
        "octo-ada",
    )
    assert ("GET", "/api/user", "Bearer tok-123", "") in fake.calls


def test_callback_with_wrong_state_changes_nothing(client, member, fake):
    start(client, "github")

    client.get("/members/connections/github/callback/", {"code": "good", "state": "forged"})

    assert not Connection.objects.exists()
    assert fake.calls == []


def test_refused_code_is_reported_and_changes_nothing(client, member, fake):
    query = start(client, "github")

    response = client.get(
        "/members/connections/github/callback/",
        {"code": "bad", "state": query["state"][0]},
        follow=True,
    )

    assert "could not reach the service" in response.text
    assert not Connection.objects.exists()


def test_connect_discord_adds_member_to_server_with_role(client, member, fake, settings):
    settings.DISCORD_BOT_TOKEN, settings.DISCORD_GUILD_ID, settings.DISCORD_MEMBER_ROLE_ID = (
        "bot",
        "77",
        "5",
    )
    query = start(client, "discord")
    assert query["scope"] == ["identify guilds.join"]

    client.get(
        "/members/connections/discord/callback/", {"code": "good", "state": query["state"][0]}
    )

    assert Connection.objects.get(user=member).username == "ada_discord"
    put = [call for call in fake.calls if call[0] == "PUT"]
    assert put == [
        (
            "PUT",
            "/discord/api/guilds/77/members/8001",
            "Bot bot",
            json.dumps({"access_token": "tok-123", "roles": ["5"]}),
        )
    ]


def test_without_bot_settings_page_shows_invite_link(client, member, settings):
    from bpd.website.models import SiteSettings

    site = SiteSettings.load()["settings"]
    site.discord_invite_url = "https://discord.gg/example"
    site.save()
    settings.DISCORD_CLIENT_ID = ""

    response = client.get("/members/connections/")

    assert "https://discord.gg/example" in response.text
    assert "not set up on this site yet" in response.text


def test_connections_never_sign_anyone_in(client, db, fake):
    response = client.get("/members/connections/github/callback/", {"code": "good", "state": "x"})

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/code/")
    assert fake.calls == []


def test_disconnect(client, member):
    Connection.objects.create(user=member, provider="github", external_id="1", username="x")

    client.post("/members/connections/github/remove/")

    assert not Connection.objects.exists()
