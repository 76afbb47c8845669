"""Version counters: one number per kind of data, shared by every process through the
cache, that cached views put in their keys. Saving the data bumps the number, so every
web worker, command and task worker stops using what it cached before.

Two rules make this correct across processes:
- bump again *after* the transaction commits: a bump before the commit alone would let
  another process read the new number with the old rows and cache them under it (the
  first bump makes the change visible at once to the writer's own later reads);
- when the counter is missing (first use, or the cache evicted it) start from a fresh
  random value, never from 1, so an old entry cached under a reused number is never hit.
"""

import logging
import os
import secrets
import threading
import time
from collections import OrderedDict

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

log = logging.getLogger(__name__)

# Within one request a version is read once (pages read the content version for the
# menu, the site settings and the page itself). Outside requests nothing is memoised.
_memo = threading.local()


def _start_memo(**kwargs):
    _memo.values = {}


def _end_memo(**kwargs):
    _memo.values = None


request_started.connect(_start_memo, dispatch_uid="versions-memo-start")
request_finished.connect(_end_memo, dispatch_uid="versions-memo-end")


class Version:
    """A number shared by every process that changes whenever what it stands for changes.
    Cache keys that include it go stale at once, everywhere. The one cache-version helper:
    each app makes its own (`CONTENT` below, the directory's, the Fund's) and `watch`es
    the models it depends on."""

    def __init__(self, key):
        self.key = key

    def watch(self, *models, m2m=()):
        """Bump whenever a row of `models` is saved or deleted, or a `m2m` through table
        changes (models as classes or "app_label.Model")."""
        for model in models:
            label = model if isinstance(model, str) else model._meta.label
            uid = f"{self.key}-{label}"
            post_save.connect(self.bump, sender=model, dispatch_uid=f"{uid}-save", weak=False)
            post_delete.connect(self.bump, sender=model, dispatch_uid=f"{uid}-del", weak=False)
        for through in m2m:
            uid = f"{self.key}-{through._meta.label}-m2m"
            m2m_changed.connect(self.bump, sender=through, dispatch_uid=uid, weak=False)

    def get(self):
        memo = getattr(_memo, "values", None)
        if memo is not None and self.key in memo:
            return memo[self.key]
        version = self._read()
        if memo is not None:
            memo[self.key] = version
        return version

    def _read(self):
        broadcast = _broadcast()
        if broadcast is not None:
            version = broadcast.get(self.key)
            if version is not None:
                return version
            started = broadcast.generation
        version = self._read_shared()
        if broadcast is not None:
            broadcast.remember(self.key, version, started)
        return version

    def _read_shared(self):
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, secrets.randbelow(2**40), None)
            version = cache.get(self.key)
            if version is None:  # the cache could not keep it: use a value nobody shares
                version = secrets.token_hex(8)
        return version

    def bump(self, **signal_kwargs):
        """Connectable to model signals: bumps now and again when the transaction commits."""
        self._incr()
        transaction.on_commit(self._incr)

    def _incr(self):
        memo = getattr(_memo, "values", None)
        if memo is not None:
            memo.pop(self.key, None)
        try:
            cache.incr(self.key)
        except ValueError:  # missing: any fresh value invalidates what was cached
            cache.set(self.key, secrets.randbelow(2**40), None)
        broadcast = _broadcast()
        if broadcast is not None:
            broadcast.publish(self.key)


class _Subscription(redis.client.PubSub):
    # redis-py reconnects and re-subscribes on its own; whatever was published
    # meanwhile is lost, so a reconnection must drop every kept number.
    reconnected = False

    def on_connect(self, connection):
        super().on_connect(connection)
        self.reconnected = True


class Broadcast:
    """With Redis, each process keeps the version numbers it read and drops one as soon
    as any process bumps it: a bump publishes the key on a Redis channel, and before
    using a kept number, a process reads (without waiting) what arrived on its
    subscription. Redis delivers the message before it answers the publisher, so by
    the time the change's own response reaches anyone, every subscriber's socket
    already holds it. Public pages then need no round trip to Redis at all.

    If the subscription fails, kept numbers are dropped and every read goes to Redis
    until it is back; a kept number is also re-read after MAX_AGE seconds, which
    bounds staleness if a connection dies without saying so.
    """

    CHANNEL = "bpd:versions"
    MAX_AGE = 10.0

    def __init__(self, url):
        self.url = url
        self.lock = threading.Lock()
        self.pid = None
        self.pubsub = None
        self.publisher = None
        self.values = {}
        self.generation = 0  # bumped on every invalidation and reconnection

    def _connect(self):
        client = redis.Redis.from_url(self.url, socket_connect_timeout=2, socket_timeout=2)
        pubsub = _Subscription(client.connection_pool)
        pubsub.subscribe(self.CHANNEL)
        confirmation = pubsub.get_message(timeout=2)
        if not confirmation or confirmation["type"] != "subscribe":
            raise ConnectionError("no subscription confirmation from Redis")
        pubsub.reconnected = False
        self.pubsub, self.publisher, self.pid = pubsub, client, os.getpid()
        self._forget()

    def _forget(self):
        self.values.clear()
        self.generation += 1

    def _drain(self):
        """Apply every invalidation that has arrived; False when the subscription is down."""
        try:
            if self.pubsub is None or self.pid != os.getpid():  # first use, or a forked worker
                self._connect()
            while True:
                message = self.pubsub.get_message(timeout=0)
                if self.pubsub.reconnected:
                    self.pubsub.reconnected = False
                    self._forget()
                if message is None:
                    return True
                if message["type"] == "message":
                    self.values.pop(message["data"].decode(), None)
                    self.generation += 1
        except Exception as error:
            log.warning("Version broadcast unavailable (%s); reading versions from Redis", error)
            self.pubsub = None
            self._forget()
            return False

    def get(self, key):
        with self.lock:
            if not self._drain():
                return None
            kept = self.values.get(key)
            if kept is None or time.monotonic() - kept[1] > self.MAX_AGE:
                return None
            return kept[0]

    def remember(self, key, value, generation):
        with self.lock:
            # An invalidation that arrived while we were reading makes the value suspect.
            if self.pubsub is not None and self.generation == generation:
                self.values[key] = (value, time.monotonic())

    def publish(self, key):
        with self.lock:
            self.values.pop(key, None)
            self.generation += 1
            try:
                if self.publisher is None or self.pid != os.getpid():
                    self._connect()
                self.publisher.publish(self.CHANNEL, key)
            except Exception as error:  # the bump itself went to Redis; readers re-read
                log.warning("Could not publish a version bump: %s", error)


_broadcasts = {}


def _broadcast():
    url = getattr(settings, "REDIS_URL", "")
    if not url or not getattr(settings, "VERSION_BROADCAST", True):
        return None
    broadcast = _broadcasts.get(url)
    if broadcast is None:
        broadcast = _broadcasts.setdefault(url, Broadcast(url))
    return broadcast


class LocalCopies:
    """A small per-process LRU in front of the shared cache, for entries that never
    change once written: their keys name the version of the data they were built
    from, so a copy kept here is exactly what the shared cache holds under that key.
    Bounded by an estimate of its size in bytes."""

    def __init__(self, max_bytes=8 * 1024 * 1024):
        self.max_bytes = max_bytes
        self.items = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()

    @staticmethod
    def _size(value):
        if isinstance(value, (str, bytes)):
            return len(value)
        if isinstance(value, tuple):
            return sum(len(v) if isinstance(v, (str, bytes)) else 1024 for v in value)
        return 1024

    def get(self, key):
        with self.lock:
            entry = self.items.get(key)
            if entry is None:
                return None
            self.items.move_to_end(key)
            return entry[0]

    def set(self, key, value):
        size = self._size(value)
        if size > self.max_bytes // 4:
            return
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self.items[key] = (value, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                _key, (_value, dropped) = self.items.popitem(last=False)
                self.bytes -= dropped

    def clear(self):
        with self.lock:
            self.items.clear()
            self.bytes = 0


class VersionedCache:
    """get/set for keys that include a version: the shared cache, with this process's
    copy in front. Values are shared between requests: never mutate one."""

    def __init__(self):
        self.local = LocalCopies()

    def get(self, key):
        value = self.local.get(key)
        if value is None:
            value = cache.get(key)
            if value is not None:
                self.local.set(key, value)
        return value

    def set(self, key, value, timeout):
        cache.set(key, value, timeout)
        self.local.set(key, value)


versioned = VersionedCache()

# Everything a public page shows: saving any model an app registered with
# `registry.add_public_content` bumps it, and cached pages, menus and site settings
# put it in their keys.
CONTENT = Version("content:version")


def content_version():
    """A number that changes whenever anything shown on public pages is saved."""
    return CONTENT.get()
