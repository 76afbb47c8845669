"""The cache shared by every process on one machine when there is no Redis.

diskcache keeps entries in SQLite files under BPD_VAR_DIR/cache: the dev server, a
`manage.py` command run beside it and the task worker read and write the same
entries, and `add` and `incr` are atomic across processes (they run inside SQLite
transactions), which the rate limits and version counters need.
"""

from diskcache import DjangoCache


class SharedFileCache(DjangoCache):
    def close(self, **kwargs):
        # Django closes caches after every request; diskcache's connections are cheap
        # to keep and costly to reopen, and they are per thread already.
        pass
