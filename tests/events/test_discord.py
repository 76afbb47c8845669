"""The Discord client against a local fake Discord (a thread running http.server on
127.0.0.1): what is sent, success, refusals, rate limits and timeouts; and publishing an
event announces it once committed without ever failing because of Discord."""

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from bpd.events import discord, services
from bpd.events.models import Event
from tests.factories import ProfileFactory, UserFactory


class FakeDiscord:
    """Records each request; answers with the next of `answers` (status, body, delay),
    then with 200 and an id."""

    def __init__(self):
        self.requests, self.answers = [], []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
                )
                status, answer, delay = (
                    fake.answers.pop(0) if fake.answers else (200, {"id": "111"}, 0)
                )
                time.sleep(delay)
                data = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (the timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake():
    server = FakeDiscord()
    yield server
    server.close()


@pytest.fixture
def configured(settings, fake):
    settings.DISCORD_EVENTS_WEBHOOK_URL = f"{fake.url}/api/webhooks/1/secret"
    settings.DISCORD_BOT_TOKEN = "bot-token"
    settings.DISCORD_GUILD_ID = "42"
    settings.DISCORD_API_URL = f"{fake.url}/api/v10"
    return fake


def make_event(**fields):
    start = timezone.now() + dt.timedelta(days=3)
    values = {
        "title": "Study <@everyone> group", "slug": "study-group", "summary": "Reading Python together.",
        "time_zone": "Africa/Lagos", "starts_at": start, "duration_minutes": 90,
        "online_url": "https://discord.example/room",
    }  # fmt: skip
    return Event.objects.create(**(values | fields))


@pytest.fixture
def event(db):
    event = make_event()
    services.materialize(event=event)
    return event


def test_post_announcement_sends_a_discord_timestamp_and_the_page(configured, event):
    occurrence = event.occurrences.get()
    message_id = discord.post_announcement(
        f"{configured.url}/api/webhooks/1/secret", event, occurrence
    )
    assert message_id == "111"
    sent = configured.requests[0]
    assert sent["path"] == "/api/webhooks/1/secret?wait=true"
    content = sent["json"]["content"]
    assert f"<t:{int(occurrence.starts_at.timestamp())}:F>" in content
    assert "/events/study-group/" in content
    assert sent["json"]["allowed_mentions"] == {"parse": []}  # nobody is pinged


def test_create_scheduled_event_is_external_with_the_page_as_location(configured, event):
    occurrence = event.occurrences.get()
    assert discord.create_scheduled_event("bot-token", "42", event, occurrence) == "111"
    sent = configured.requests[0]
    assert sent["path"] == "/api/v10/guilds/42/scheduled-events"
    assert sent["headers"]["Authorization"] == "Bot bot-token"
    payload = sent["json"]
    assert payload["entity_type"] == 3
    assert payload["entity_metadata"]["location"].endswith("/events/study-group/")
    starts = dt.datetime.fromisoformat(payload["scheduled_start_time"])
    ends = dt.datetime.fromisoformat(payload["scheduled_end_time"])
    assert starts == occurrence.starts_at
    assert ends - starts == dt.timedelta(minutes=90)


def test_a_refusal_raises_discord_error_with_the_status(configured, event):
    configured.answers.append((403, {"message": "Missing Permissions"}, 0))
    with pytest.raises(discord.DiscordError, match="403: Missing Permissions"):
        discord.create_scheduled_event("bot-token", "42", event, event.occurrences.get())


def test_a_short_rate_limit_is_waited_for_once(configured, event):
    configured.answers.append((429, {"retry_after": 0.05, "global": False}, 0))
    message_id = discord.post_announcement(settings_url(configured), event, event.occurrences.get())
    assert message_id == "111"
    assert len(configured.requests) == 2


def test_a_long_rate_limit_is_reported_not_waited_for(configured, event):
    configured.answers.append((429, {"retry_after": 60}, 0))
    started = time.monotonic()
    with pytest.raises(discord.DiscordError, match="rate limiting"):
        discord.post_announcement(settings_url(configured), event, event.occurrences.get())
    assert time.monotonic() - started < 2
    assert len(configured.requests) == 1


def test_a_timeout_raises_discord_error(configured, event, monkeypatch):
    monkeypatch.setattr(discord, "TIMEOUT", 0.2)
    configured.answers.append((200, {"id": "late"}, 1))
    with pytest.raises(discord.DiscordError, match="could not be reached"):
        discord.post_announcement(settings_url(configured), event, event.occurrences.get())


def test_an_unreachable_discord_raises_discord_error(settings, event):
    with pytest.raises(discord.DiscordError):
        discord.post_announcement("http://127.0.0.1:9/none", event, event.occurrences.get())


def settings_url(fake):
    return f"{fake.url}/api/webhooks/1/secret"


@pytest.fixture
def executor(db):
    return ProfileFactory(user=UserFactory(roles=["executor"])).user


def test_publishing_announces_once_committed_and_keeps_the_ids(
    configured, executor, django_capture_on_commit_callbacks
):
    event = make_event()
    configured.answers += [(200, {"id": "m-1"}, 0), (200, {"id": "e-1"}, 0)]
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_event(event=event, by=executor)
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert (event.discord_message_id, event.discord_event_id, event.discord_error) == (
        "m-1",
        "e-1",
        "",
    )
    assert [r["path"] for r in configured.requests] == [
        "/api/webhooks/1/secret?wait=true",
        "/api/v10/guilds/42/scheduled-events",
    ]


def test_a_discord_failure_is_recorded_and_publishing_stands(
    configured, executor, django_capture_on_commit_callbacks
):
    event = make_event()
    configured.answers += [(500, {"message": "oops"}, 0), (401, {"message": "Unauthorized"}, 0)]
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_event(event=event, by=executor)
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert "webhook: Discord answered 500" in event.discord_error
    assert "scheduled event: Discord answered 401" in event.discord_error


def test_nothing_is_sent_until_discord_is_configured(
    settings, fake, executor, django_capture_on_commit_callbacks
):
    settings.DISCORD_EVENTS_WEBHOOK_URL = ""
    settings.DISCORD_BOT_TOKEN = ""
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_event(event=event, by=executor)
    assert fake.requests == []
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert not event.discord_error


def test_the_organiser_announces_again_after_a_failure(
    configured, executor, client, django_capture_on_commit_callbacks
):
    event = make_event()
    configured.answers += [(500, {"message": "oops"}, 0), (500, {"message": "oops"}, 0)]
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_event(event=event, by=executor)
    client.force_login(executor)
    page = client.get(f"/events/manage/{event.pk}/").text
    assert "Announce the next date on Discord again" in page

    configured.answers += [(200, {"id": "m-2"}, 0), (200, {"id": "e-2"}, 0)]
    response = client.post(f"/events/manage/{event.pk}/announce/", follow=True)

    event.refresh_from_db()
    assert (event.discord_message_id, event.discord_event_id, event.discord_error) == (
        "m-2",
        "e-2",
        "",
    )
    assert "Announced on Discord." in response.text


def test_announcing_again_says_why_it_cannot(settings, executor, client, fake):
    settings.DISCORD_EVENTS_WEBHOOK_URL = ""
    settings.DISCORD_BOT_TOKEN = ""
    event = make_event(status=Event.Status.PUBLISHED)
    client.force_login(executor)

    response = client.post(f"/events/manage/{event.pk}/announce/", follow=True)

    assert "Discord announcements are off" in response.text
    assert fake.requests == []
