"""The main menu: one link per page. A person's home is either the list of cohorts (staff), their
cities (coaches) or their own city; the menu never offers it twice under two names."""

import pytest

pytestmark = pytest.mark.django_db


def menu(client, user):
    client.force_login(user)
    html = client.get("/", follow=True).content.decode()
    items = html.split('<ul class="navbar-nav me-auto">')[1].split("</ul>")[0]
    return [(chunk.split('href="')[1].split('"')[0], chunk.split(">", 1)[1].split("</a>")[0])
            for chunk in items.split("<a ")[1:]]


@pytest.mark.parametrize("role,names", [
    ("staff", ["Cohorts", "Coaches and staff", "Outbox", "My sessions"]),
    ("coach", ["My cities", "Cohorts", "My sessions"]),
    ("mayor", ["My city", "My sessions"]),
    ("member", ["My city", "My sessions"]),
])
def test_each_role_has_one_link_per_page_and_no_second_name_for_home(client, world, role, names):
    links = menu(client, world.users[role])
    assert [name for _, name in links if name != "Admin"] == names
    addresses = [href for href, _ in links]
    assert len(set(addresses)) == len(addresses)
    if role in ("mayor", "member"):
        assert addresses[0] == world.city.get_absolute_url()
