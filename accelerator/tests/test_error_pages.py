"""The 403 and 404 pages wear the site's layout, explain themselves and lead home, in the
viewer's language; the 404 is the same page whatever was asked for."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db


def test_not_found_has_the_layout_and_a_way_home(client, world):
    client.force_login(world.users["member"])
    response = client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<main id="main"' in html and 'aria-label="Main"' in html  # landmarks and the menu
    assert "<h1" in html and "Page not found" in html
    assert 'href="/"' in html and "Go to your home page" in html


def test_foreign_city_and_missing_city_give_the_same_styled_page(client, world):
    client.force_login(world.users["outsider"])
    foreign = client.get(f"/cities/{world.city.slug}/strategy/")
    missing = client.get("/cities/no-such-city/strategy/")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content
    assert b"Page not found" in foreign.content


def test_forbidden_explains_and_leads_home(client, world):
    client.force_login(world.users["member"])
    response = client.get(f"/cities/{world.city.slug}/audit/")  # staff only
    html = response.content.decode()
    assert response.status_code == 403
    assert '<main id="main"' in html and "You cannot do this here" in html and 'href="/"' in html


def test_error_pages_speak_the_viewers_language(client, world):
    member = world.users["member"]
    member.language = "es"
    member.save(update_fields=["language"])
    client.force_login(member)
    not_found = client.get("/no/such/page/").content.decode()
    forbidden = client.get(f"/cities/{world.city.slug}/audit/").content.decode()
    with translation.override("es"):
        assert gettext("Page not found") in not_found and gettext("Page not found") != "Page not found"
        assert gettext("You cannot do this here") in forbidden
        assert '<html lang="es">' in not_found
