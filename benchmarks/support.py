"""Shared pieces for benchmarks: timing, query counting and the baseline page.

Every figure is reported as a ratio to the simplest signed-in page measured in the same run,
so results compare across machines."""

import statistics
import time
import tracemalloc
from contextlib import contextmanager

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

# The home page of a person with no role yet: signed in, base layout, nothing else.
BASELINE_URL = "/"


def client_for(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def time_get(client, url, repeat=7):
    """Median seconds and query count of GET `url` (after one warm-up request)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if getattr(response, "streaming", False):
                for _chunk in response.streaming_content:
                    pass
        durations.append(time.perf_counter() - start)
    return statistics.median(durations), len(queries.captured_queries)


def time_call(func, repeat=3):
    durations, queries = [], 0
    for _ in range(repeat):
        reset_queries()
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
