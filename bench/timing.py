"""Timing requests in-process with Django's test client.

Each URL is requested a few times untimed (per-process caches: content types,
site root paths, compiled templates), once with query logging on to count
queries, then `runs` times with query logging off. Pairs of URLs compared as
a ratio are timed alternately, so that load from other work on a shared
machine falls on both alike.
"""

import math
import statistics
import time
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext

TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT", "ROLLBACK")
WARMUP = 3


def percentile(ordered, percent):
    """Nearest-rank percentile of an already sorted list."""
    return ordered[max(math.ceil(percent / 100 * len(ordered)) - 1, 0)]


def count_queries(captured):
    """Queries of one request, leaving out transaction control (see quiz_submit.counted)."""
    return sum(
        1 for query in captured.captured_queries if not query["sql"].startswith(TRANSACTION_CONTROL)
    )


@dataclass
class Timing:
    seconds: list = field(default_factory=list)
    queries: int = 0
    size: int = 0

    @property
    def median_ms(self):
        return statistics.median(self.seconds) * 1000

    @property
    def p95_ms(self):
        return percentile(sorted(self.seconds), 95) * 1000


@dataclass
class Request:
    """A GET to time: the client it is sent with and extra WSGI environ per run."""

    client: object
    url: str
    environ: object = None  # callable(run number) -> dict, e.g. a new REMOTE_ADDR
    status: int = 200
    timing: Timing = field(default_factory=Timing)

    def send(self, run):
        extra = self.environ(run) if self.environ else {}
        response = self.client.get(self.url, **extra)
        if response.status_code != self.status:
            raise RuntimeError(f"{self.url}: HTTP {response.status_code}, not {self.status}")
        return response


def time_requests(requests, *, runs):
    """Time each request `runs` times, interleaved; returns their Timings."""
    run = 0
    for request in requests:
        for _ in range(WARMUP):
            request.send(run)
            run += 1
        with CaptureQueriesContext(connection) as captured:
            response = request.send(run)
            run += 1
        request.timing.queries = count_queries(captured)
        request.timing.size = len(response.content)
    for _ in range(runs):
        for request in requests:
            started = time.perf_counter()
            request.send(run)
            request.timing.seconds.append(time.perf_counter() - started)
            run += 1
    return [request.timing for request in requests]
