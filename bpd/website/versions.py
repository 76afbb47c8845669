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

import secrets

from django.core.cache import cache
from django.db import transaction


class Version:
    def __init__(self, key):
        self.key = key

    def get(self):
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
        try:
            cache.incr(self.key)
        except ValueError:  # missing: any fresh value invalidates what was cached
            cache.set(self.key, secrets.randbelow(2**40), None)
