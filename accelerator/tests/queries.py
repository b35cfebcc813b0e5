"""Query-count assertions: a page runs a stated number of queries, the same at two data sizes.

The number is written in the test, so a page that starts running more queries (an N+1, or a
new lookup) fails until someone looks and re-pins it; the failure message gives the new count."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def assert_num_page_queries(client, url, *, expected, grow=None, times=2):
    """GET `url` runs exactly `expected` queries; then call `grow()` `times` times (a list page
    goes from 1 item to 3) and it must still run exactly `expected`."""
    before = count_queries(client, url)
    assert before == expected, f"{url}: {before} queries, expected {expected}"
    if grow is None:
        return
    for _ in range(times):
        grow()
    after = count_queries(client, url)
    assert after == expected, f"{url}: {after} queries after growing the data, expected {expected}"
