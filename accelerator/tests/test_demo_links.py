"""Every link each demo role is shown opens: no 404 or 403 behind a link on any page reachable
from their home.

For each demo role the test starts at `/`, reads every same-site `<a href>` of each page it
opens and requests it with GET; city pages and the main pages (home, cohorts, sessions, the
person's own pages) are read for further links, breadth first, up to a bound. Downloads (CSV,
PDF, Word, calendar files) are requested and their status checked, not read. Signing out and the
admin's own pages are left alone. One seeding for the module, rolled back afterwards, as in
test_demo."""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from accelerator.models import User

# staff, a coach, a mayor, a senior team member, a finished cohort's mayor, a Spanish speaker.
ROLES = [
    "staff@example.org",
    "coach@example.org",
    "mayor.curitiba@example.org",
    "cdo.curitiba@example.org",
    "mayor.tulsa@example.org",
    "cdo.bogota@example.org",
]
# Pages read for more links, per role; every link found on them is still checked.
MAX_PAGES_READ = 150
SKIPPED_PREFIXES = ("/accounts/logout", "/admin/", "/static/", "/i18n/")
FILE_SUFFIXES = (".csv", ".pdf", ".docx", ".ics", ".png", ".svg")


# The demo, seeded once for this module (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_seeded")]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def same_site_links(page_path, html):
    parser = _Links()
    parser.feed(html)
    links = []
    for href in parser.hrefs:
        url, _fragment = urldefrag(urljoin(page_path, href))
        parts = urlsplit(url)
        if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path and not path.startswith(SKIPPED_PREFIXES):
            links.append(path)
    return links


def worth_reading(path):
    """City pages and the main pages: read for links. Files and other months of a calendar are
    only checked (the month links would lead on forever)."""
    bare = path.split("?")[0]
    return not (bare.endswith(FILE_SUFFIXES) or "month=" in path)


def crawl(client):
    """{path: status} for every link reached, and {path: page it was shown on}."""
    statuses, shown_on = {}, {}
    queue = deque(["/"])
    shown_on["/"] = "(home)"
    read = 0
    while queue:
        path = queue.popleft()
        response = client.get(path)
        statuses[path] = response.status_code
        if response.status_code in (301, 302):
            target = urljoin(path, response["Location"])
            if target not in shown_on and urlsplit(target).netloc in ("", "testserver"):
                shown_on[target] = f"redirect from {path}"
                queue.append(target)
            continue
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or "text/html" not in content_type:
            continue
        if not worth_reading(path) or read >= MAX_PAGES_READ:
            continue
        read += 1
        html = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        for link in same_site_links(path, html):
            if link not in shown_on:
                shown_on[link] = path
                queue.append(link)
    return statuses, shown_on


@pytest.mark.parametrize("email", ROLES)
def test_no_link_a_demo_role_is_shown_answers_404_or_403(client, email):
    client.force_login(User.objects.get(email=email))
    statuses, shown_on = crawl(client)
    broken = sorted(f"{path} (status {status}, linked from {shown_on[path]})"
                    for path, status in statuses.items() if status in (403, 404))
    assert not broken, f"{email} is shown links that do not open:\n" + "\n".join(broken)
    # The walk went somewhere: the city pages and the session pages the role may open.
    assert len(statuses) > 20
    assert any(path.startswith("/sessions/") for path in statuses)
