"""Query-count assertions: a page must run the same number of queries at two data sizes."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def assert_constant_queries(client, url, grow, times=2):
    """Count the queries of GET `url`, call `grow()` to add rows, count again; they must match."""
    before = count_queries(client, url)
    for _ in range(times):
        grow()
    after = count_queries(client, url)
    assert before == after, f"{url}: {before} queries before growing the data, {after} after"
    return after
