"""Django's RedisCache, made to fail fast and fail open when Redis is away (issue #15).

With Django's own backend a Redis that is down or unreachable turns every page
into a 500, or a long wait when packets are dropped rather than refused. This
backend instead:

- gives up on a connection or a reply after a fraction of a second
  (CONNECT_TIMEOUT and READ_TIMEOUT; OPTIONS socket_connect_timeout and
  socket_timeout override them) and never retries;
- after a failure, skips Redis altogether for BREAK_SECONDS (OPTIONS
  BREAK_SECONDS overrides it): a circuit breaker, one per process and Redis
  location, so one request pays the timeout and the next ones do not; then
  the next call tries Redis again;
- meanwhile reads are misses and writes are dropped, so pages still render
  from the database;
- remembers the keys it dropped a write or delete for and deletes them from
  Redis first thing once it answers again, so a value it could not replace
  (a page-tree token, courses/page_cache.py) is not read as current;
- raises CacheUnavailable instead of failing open for the keys that guard
  something (FAIL_CLOSED_PREFIXES): sign-in, sign-up and reset rate limits,
  used TOTP codes, the certificate check's per-address limit. Without the
  cache those cannot be enforced, so core.views.server_error answers 503
  "try again in a minute" (decided in docs/deployment.md): a few minutes
  without sign-in beat a few minutes of unlimited password guessing.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import OutOfMemoryError, ReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT = 0.25
READ_TIMEOUT = 0.25
BREAK_SECONDS = 5.0
MAX_DROPPED_KEYS = 10_000
# allauth's rate-limit histories and their locks, allauth's used TOTP codes,
# and the public certificate check's counter (courses/certificate_views.py).
FAIL_CLOSED_PREFIXES = ("allauth:rl:", "allauth.mfa.totp.used", "certificate-verify:")
# Redis is down, restarting (loading its data), unreachable, full (with no
# eviction policy), or a replica that cannot take writes.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ReadOnlyError, OutOfMemoryError, OSError)


class CacheUnavailable(Exception):
    """The cache cannot answer, and this key must not fail open."""


class Breaker:
    """Per process and Redis location: is Redis being skipped, and what was dropped."""

    def __init__(self, break_seconds):
        self.break_seconds = break_seconds
        self.lock = threading.Lock()
        self.open_until = 0.0
        self.dropped = set()

    def is_open(self):
        return time.monotonic() < self.open_until

    def trip(self, exc):
        with self.lock:
            was_open = self.open_until > 0
            self.open_until = time.monotonic() + self.break_seconds
        if not was_open:
            logger.warning("Redis is not answering (%s); the cache is off for now", exc)

    def drop(self, keys):
        with self.lock:
            room = MAX_DROPPED_KEYS - len(self.dropped)
            self.dropped.update(list(keys)[: max(room, 0)])

    def take_dropped(self):
        with self.lock:
            dropped, self.dropped = self.dropped, set()
            return dropped


_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(location, break_seconds=BREAK_SECONDS):
    with _breakers_lock:
        if location not in _breakers:
            _breakers[location] = Breaker(break_seconds)
        return _breakers[location]


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        break_seconds = float(options.pop("BREAK_SECONDS", BREAK_SECONDS))
        options.setdefault("socket_connect_timeout", CONNECT_TIMEOUT)
        options.setdefault("socket_timeout", READ_TIMEOUT)
        # redis-py retries some failures by default; each retry is another timeout.
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        self.breaker = breaker_for(tuple(self._servers), break_seconds)

    # One guarded call: the value, or `fallback` when Redis cannot answer.
    def _call(self, raw_keys, made_keys, operation, fallback, *, writes):
        fail_closed = any(str(key).startswith(FAIL_CLOSED_PREFIXES) for key in raw_keys)
        if not self.breaker.is_open():
            try:
                self._replay_dropped()
                return operation()
            except UNAVAILABLE as exc:
                self.breaker.trip(exc)
        if fail_closed:
            raise CacheUnavailable(", ".join(map(str, raw_keys)))
        if writes:
            self.breaker.drop(made_keys)
        return fallback() if callable(fallback) else fallback

    def _replay_dropped(self):
        if not self.breaker.dropped:  # the usual case: nothing to do, no lock taken
            return
        dropped = self.breaker.take_dropped()
        if not dropped:
            return
        try:
            self._cache.delete_many(list(dropped))
        except UNAVAILABLE:
            self.breaker.drop(dropped)
            raise
        logger.info("Redis is back; deleted %d keys written while it was away", len(dropped))

    def _key(self, key, version):
        return self.make_and_validate_key(key, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        made = self._key(key, version)
        return self._call(
            [key],
            [made],
            lambda: self._cache.add(made, value, self.get_backend_timeout(timeout)),
            False,
            writes=True,
        )

    def get(self, key, default=None, version=None):
        made = self._key(key, version)
        return self._call(
            [key], [made], lambda: self._cache.get(made, default), default, writes=False
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        made = self._key(key, version)
        self._call(
            [key],
            [made],
            lambda: self._cache.set(made, value, self.get_backend_timeout(timeout)),
            None,
            writes=True,
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        made = self._key(key, version)
        return self._call(
            [key],
            [made],
            lambda: self._cache.touch(made, self.get_backend_timeout(timeout)),
            False,
            writes=True,
        )

    def delete(self, key, version=None):
        made = self._key(key, version)
        return self._call([key], [made], lambda: self._cache.delete(made), False, writes=True)

    def get_many(self, keys, version=None):
        keys = list(keys)
        key_map = {self._key(key, version): key for key in keys}

        def operation():
            found = self._cache.get_many(key_map.keys())
            return {key_map[k]: v for k, v in found.items()}

        return self._call(keys, list(key_map), operation, dict, writes=False)

    def has_key(self, key, version=None):
        made = self._key(key, version)
        return self._call([key], [made], lambda: self._cache.has_key(made), False, writes=False)

    def incr(self, key, delta=1, version=None):
        made = self._key(key, version)

        def missing():
            # Django's contract for a key that is not there.
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")

        return self._call(
            [key], [made], lambda: self._cache.incr(made, delta), missing, writes=True
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        safe = {self._key(key, version): value for key, value in data.items()}

        def operation():
            self._cache.set_many(safe, self.get_backend_timeout(timeout))
            return []

        # Django's contract: the keys that were not stored.
        return self._call(list(data), list(safe), operation, lambda: list(data), writes=True)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        if not keys:
            return
        made = [self._key(key, version) for key in keys]
        self._call(keys, made, lambda: self._cache.delete_many(made), None, writes=True)

    def clear(self):
        return self._call([], [], lambda: self._cache.clear(), False, writes=False)
