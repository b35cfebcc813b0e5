"""Shared pieces for benchmarks: interleaved timing against the floor, query counting, goals.

Every time is a ratio to the floor (a bare `login_required` view through the full middleware stack)
measured in the same run, sample by sample: floor, page, floor, page… and the medians divided. A
busy machine slows both alike, so the ratio holds where a single timing would not."""

import statistics
import time
import tracemalloc
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.urls import FLOOR_URL

# The goals: every page within twice the floor and at most 12 queries; an export streams its rows
# at 100,000 a second on top of what a page may cost.
MAX_QUERIES = 12
MAX_RATIO = 2.0
EXPORT_ROWS_PER_SECOND = 100_000


@dataclass
class Page:
    label: str
    user: object
    url: str
    max_queries: int = MAX_QUERIES
    max_ratio: float = MAX_RATIO
    rows: int = 0  # for exports: rows written, to report rows a second

    def allowed_seconds(self, floor):
        """A page's time goal: `max_ratio` × the floor; an export adds its rows at the export rate."""
        return self.max_ratio * floor + self.rows / EXPORT_ROWS_PER_SECOND


@dataclass
class Figure:
    label: str
    value: float
    unit: str
    goal: str = ""
    met: bool | None = None


def client_for(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def fetch(client, url):
    """GET `url` and read the whole body (streamed exports included); returns (status, bytes)."""
    response = client.get(url)
    if getattr(response, "streaming", False):
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    return response.status_code, size


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        status, size = fetch(client, url)
    assert status == 200, (url, status)
    return len(queries.captured_queries), size


def timed(client, url):
    start = time.perf_counter()
    fetch(client, url)
    return time.perf_counter() - start


def interleaved(page_client, url, floor_client, *, samples):
    """(page median, floor median) in seconds over `samples` alternating requests, after a warm-up."""
    fetch(page_client, url)
    fetch(floor_client, FLOOR_URL)
    pages, floors = [], []
    for _ in range(samples):
        floors.append(timed(floor_client, FLOOR_URL))
        pages.append(timed(page_client, url))
    return statistics.median(pages), statistics.median(floors)


def time_call(func, repeat=3):
    durations, queries = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            func()
        durations.append(time.perf_counter() - start)
        queries = len(captured.captured_queries)
    return statistics.median(durations), queries


@contextmanager
def peak_memory():
    """Yields a dict whose 'peak_bytes' is filled with the traced peak allocation."""
    result = {}
    tracemalloc.start()
    try:
        yield result
    finally:
        result["peak_bytes"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
