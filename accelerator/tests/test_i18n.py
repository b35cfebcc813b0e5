import pytest
from django.urls import reverse

from accelerator.i18n import interface_language, translated_languages


def test_the_shipped_catalogs_are_spoken_and_anything_else_falls_back_to_english():
    assert translated_languages() == {"en", "es", "pt-br"}
    assert interface_language("es") == "es"
    assert interface_language("pt-br") == "pt-br"
    assert interface_language("pt") == "pt-br"  # stored before Brazilian Portuguese had its own code
    assert interface_language("fr") == "en"
    assert interface_language("") == "en"


@pytest.mark.django_db
def test_a_portuguese_speaker_gets_one_language_per_page(client, world, monkeypatch):
    from accelerator import i18n

    monkeypatch.setattr(i18n, "translated_languages", lambda: frozenset({"en"}))  # as if no catalog of ours
    member = world.users["member"]
    member.language = "pt-br"
    member.save()
    client.force_login(member)
    html = client.get(reverse("cohorts:team", kwargs={"city_slug": world.city.slug})).content.decode()
    assert '<html lang="en">' in html
    assert "Sessões" not in html and "Início" not in html and "Sessions" in html


@pytest.mark.django_db
def test_a_portuguese_speaker_reads_brazilian_portuguese(client, world):
    member = world.users["member"]
    member.language = "pt-br"
    member.save()
    client.force_login(member)
    html = client.get(reverse("cohorts:team", kwargs={"city_slug": world.city.slug})).content.decode()
    assert '<html lang="pt-br">' in html
    assert "Equipe" in html and "Sair" in html


@pytest.mark.django_db
def test_a_visitor_gets_their_browsers_language_brazilian_for_any_portuguese(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="pt-PT,pt;q=0.9").content.decode()
    assert '<html lang="pt-br">' in page
    assert "Senha" in page and "Palavra-passe" not in page  # Brazilian, never European, Portuguese
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es-CO,es;q=0.9").content.decode()
    assert '<html lang="es">' in page and "Contraseña" in page


@pytest.mark.django_db
def test_the_switcher_changes_a_visitors_language_and_a_members_preference(client, world):
    response = client.post(reverse("language_set"), {"language": "es", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert '<html lang="es">' in client.get("/accounts/login/").content.decode()
    member = world.users["member"]
    client.force_login(member)
    response = client.post(reverse("language_set"), {"language": "pt-br", "next": "https://elsewhere.example/"})
    assert response["Location"] == "/"  # never sent to another site
    member.refresh_from_db()
    assert member.language == "pt-br"
    client.post(reverse("language_set"), {"language": "klingon", "next": "/"})
    member.refresh_from_db()
    assert member.language == "pt-br"  # an unknown language changes nothing


@pytest.mark.django_db
def test_text_a_city_wrote_is_marked_with_the_citys_language_inside_a_page_in_another(client, world):
    from django_scopes import scope

    from strategy.tests.factories import build_plan

    with scope(city=world.city):
        build_plan(world.city)
    member = world.users["member"]
    client.force_login(member)
    url = reverse("strategy:plan", kwargs={"city_slug": world.city.slug})
    same = client.get(url).content.decode()  # an English page about an English-writing city
    # The language switcher names English in English on every page: that one is always there.
    assert '<div class="strategy-text">' in same and same.split("<body", 1)[1].count(' lang="en"') == 1
    member.language = "es"
    member.save()
    page = client.get(url).content.decode()
    assert '<html lang="es">' in page
    assert '<div class="strategy-text" lang="en">' in page  # the city's own words, in its language
    assert page.split("<body", 1)[1].count(' lang="en"') - 1 >= 4  # the plan's texts, goals, actions and measures
