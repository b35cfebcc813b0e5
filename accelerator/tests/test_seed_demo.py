import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from cohorts.models import City, Membership, Role

# These tests seed on their own rather than share test_demo's seeding: one runs the command twice
# to prove it idempotent, the other proves it refuses to run (and writes nothing) with DEBUG off.


def row_counts():
    with scopes_disabled():
        return {
            model._meta.label: model._base_manager.count()
            for model in apps.get_models()
            if model._meta.app_label in {"accelerator", "cohorts", "agenda", "coaching", "strategy", "convening",
                                         "account"}
        }


@pytest.mark.django_db
def test_seed_demo_is_realistic_and_running_it_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = row_counts()
    call_command("seed_demo")
    assert row_counts() == first  # every app's rows, coaching's check-ins, items and showcases among them
    assert all(first[f"coaching.{name}"] for name in ("CheckIn", "ActionItem", "MayorDecision", "Showcase",
                                                      "ShowcaseFeedback"))
    cities = City.objects.select_related("cohort")
    assert cities.filter(cohort__slug="2024").count() >= 12
    assert {c.country for c in cities} >= {"United States", "Mexico", "Brazil", "Colombia", "Argentina"}
    with scopes_disabled():
        for city in cities:
            team = list(Membership.objects.filter(city=city))
            assert sum(m.role == Role.MAYOR for m in team) == 1, city
            assert 3 <= len(team) - 1 <= 4, city


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not City.objects.exists()
    call_command("seed_demo", force=True)
    assert City.objects.exists()
