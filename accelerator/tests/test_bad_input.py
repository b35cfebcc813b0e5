"""No page answers bad input with a server error: every URL of the access matrix, as every role,
with nonsense in the query string and in a posted form."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accelerator.tests.test_access_matrix import PAGES

NONSENSE_QUERY = {
    "page": "99999999999999999999", "sort": "'; DROP TABLE x", "dir": "sideways", "status": "???",
    "coach": "nobody@nowhere", "country": "\x00", "month": "13", "year": "99999", "group": "<script>",
    "since": "2026-02-31", "until": "yesterday", "next": "https://evil.example/", "q": "%" * 50,
}
NONSENSE_FORM = {
    "name": "", "slug": "not a slug!", "start_date": "31/31/2031", "end_date": "tomorrow", "starts_at": "x",
    "ends_at": "2026-13-45T25:61", "time_zone": "Mars/Olympus", "role": "emperor", "status": "zzz",
    "version": "not-a-number", "target": "1e99999", "baseline": "NaN", "start_quarter": "99",
    "end_quarter": "-1", "response": "maybe", "email": "not-an-email", "code": "../../etc/passwd",
    "owner": "999999999", "attendees": ["999999999", "x"], "coaches": ["abc"], "level": "7",
    "next": "https://evil.example/", "reason": "", "text": "x" * 20000,
}

ROLES = ["staff", "coach", "mayor", "member"]
CASES = [(page, role) for page in PAGES for role in ROLES]


@pytest.mark.parametrize("page,role", CASES, ids=[f"{p.url_name}-{r}" for p, r in CASES])
def test_nonsense_never_causes_a_server_error(world, page, role):
    client = Client(raise_request_exception=False)
    client.force_login(world.users[role])
    with scopes_disabled():  # the page's own rows are set-up, like a fixture's
        url = reverse(page.url_name, kwargs=page.kwargs(world))
    for response in (client.get(url, NONSENSE_QUERY), client.post(url, NONSENSE_FORM)):
        assert response.status_code < 500, f"{role} on {url}: {response.status_code}"
        if response.status_code in (301, 302):
            assert not response["Location"].startswith("https://evil.example"), f"open redirect at {url}"


def test_a_nul_character_anywhere_in_the_request_is_a_400(world):
    """PostgreSQL refuses NUL in text: a code, filter or posted text carrying one must not reach it."""
    from strategy.selectors import strategy_for
    from strategy.services.comments import thread_start
    from strategy.tests.factories import section

    unit = section(world.city)
    with scope(city=world.city):
        thread = thread_start(city=world.city, actor=world.users["coach"], strategy=strategy_for(world.city),
                              part="vision", body="Say who benefits.", notify=False)
    client = Client(raise_request_exception=False)
    client.force_login(world.users["member"])
    city = {"city_slug": world.city.slug}
    autosave = reverse("strategy:autosave", kwargs={**city, "kind": "section", "code": unit.code})
    responses = [
        client.get("/sessions/a%00b/"),
        client.get(f"/cities/{world.city.slug}/coaching/a%00b/"),
        client.get(reverse("strategy:history", kwargs=city), {"unit": "a\x00"}),
        client.post(autosave, {"version": "1", "text": "a\x00b"}),
        client.post(reverse("strategy:reply", kwargs={**city, "code": thread.code}), {"body": "a\x00b"}),
    ]
    assert [r.status_code for r in responses] == [400] * len(responses)
    assert client.post(autosave, {"version": "1", "text": "fine"}).status_code == 200
    with scope(city=world.city):
        assert not thread.comments.filter(body__contains="a").exclude(body="Say who benefits.").exists()
