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


def test_the_kept_header_shows_each_request_its_own_token_address_and_the_viewers_current_name(world):
    """The header is kept per language, viewer and menu; what differs per request is put in."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["mayor"])
    city_url = world.city.get_absolute_url()
    first = client.get(city_url + "?a=1&b=<x>").content.decode()
    assert 'name="next" value="' + city_url + '?a=1&amp;b=%3Cx%3E"' in first
    second = client.get(city_url).content.decode()
    assert 'name="next" value="' + city_url + '"' in second
    token = second.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert "@@" not in first + second and token

    mayor = world.users["mayor"]
    mayor.full_name = "Renamed Mayor"
    mayor.save(update_fields=["full_name"])
    assert ">Renamed Mayor</a>" in client.get(city_url).content.decode()

    # The token the kept header carries is this session's: signing out with it works.
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_the_kept_header_follows_the_language_and_the_city_tabs_follow_the_page(client, world):
    client.force_login(world.users["mayor"])
    city_url = world.city.get_absolute_url()
    english = client.get(city_url).content.decode()
    assert "Sign out" in english
    mayor = world.users["mayor"]
    mayor.language = "es"
    mayor.save(update_fields=["language"])
    spanish = client.get(city_url).content.decode()
    assert "Cerrar sesión" in spanish and "Sign out" not in spanish
    team = client.get(city_url + "team/").content.decode()
    assert 'href="' + city_url + 'team/" aria-current="page"' not in team  # the mark is on the <a>'s class
    assert 'active" aria-current="page" href="' + city_url + 'team/"' in team
    assert 'active" aria-current="page" href="' + city_url + '"' in english
