"""Version numbers kept per process under Redis, dropped at once when another
process bumps them (bpd.website.versions.Broadcast)."""

import pytest
import redis

from bpd.website.versions import Broadcast

URL = "redis://127.0.0.1:6379/12"


@pytest.fixture
def processes():
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return Broadcast(URL), Broadcast(URL)


def test_a_bump_in_one_process_drops_the_number_kept_by_another(processes):
    web, command = processes
    assert web.get("content:version") is None
    web.remember("content:version", 41, web.generation)
    assert web.get("content:version") == 41

    command.publish("content:version")

    assert web.get("content:version") is None


def test_an_invalidation_during_a_read_keeps_nothing(processes):
    web, command = processes
    web.get("fund:version")  # subscribes
    started = web.generation
    command.publish("fund:version")
    web.get("other")  # drains the message that arrived mid-read

    web.remember("fund:version", 7, started)

    assert web.get("fund:version") is None


def test_a_lost_subscription_drops_everything_kept(processes):
    web, command = processes
    web.get("k")
    web.remember("k", 1, web.generation)
    web.pubsub.connection.disconnect()  # redis-py reconnects by itself on the next read
    command.publish("k")  # published while nobody listened

    assert web.get("k") is None
