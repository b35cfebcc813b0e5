import pytest
from django.urls import reverse

from accelerator.i18n import interface_language, translated_languages


def test_languages_without_a_catalog_of_ours_fall_back_to_english(settings):
    assert "en" in translated_languages()
    for code in ("es", "pt"):
        expected = code if code in translated_languages() else "en"
        assert interface_language(code) == expected
    assert interface_language("") == "en"


@pytest.mark.django_db
def test_a_portuguese_speaker_gets_one_language_per_page(client, world, monkeypatch):
    from accelerator import i18n

    monkeypatch.setattr(i18n, "translated_languages", lambda: frozenset({"en"}))  # no catalog of ours yet
    member = world.users["member"]
    member.language = "pt"
    member.save()
    client.force_login(member)
    html = client.get(reverse("cohorts:team", kwargs={"city_slug": world.city.slug})).content.decode()
    assert '<html lang="en">' in html
    assert "Sessões" not in html and "Início" not in html and "Sessions" in html
