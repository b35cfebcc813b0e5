import datetime
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone
from django_scopes import scopes_disabled

from accelerator.outbox.models import OutgoingMessage
from agenda.models import Attendance, Session
from cohorts.models import City, Membership, Role
from convening.demo import REHEARSAL_TITLE

WEEK = datetime.timedelta(days=7)

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
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = row_counts()
    # A summary, not the story's emails.
    assert "Demo data loaded" in out.getvalue() and "Subject:" not in out.getvalue()
    assert len(out.getvalue().splitlines()) <= 6
    # The count it gives is the story's messages, whether the sender ran as the seeding committed or after.
    held_back = int(re.search(r"(\d+) emails of the demo's story", out.getvalue()).group(1))
    with scopes_disabled():
        assert held_back == OutgoingMessage.objects.count() > 0
    # Reopened days later: the practice convening is back around now, and nothing is added twice.
    with scopes_disabled():
        rehearsal = Session.objects.get(title=REHEARSAL_TITLE)
        days_before = rehearsal.days.count()
        rehearsal_marks = Attendance.objects.filter(session=rehearsal).count()
        Session.objects.filter(pk=rehearsal.pk).update(starts_at=F("starts_at") - WEEK, ends_at=F("ends_at") - WEEK)
        rehearsal.days.update(starts_at=F("starts_at") - WEEK, ends_at=F("ends_at") - WEEK)
    call_command("seed_demo", stdout=StringIO())
    assert row_counts() == first  # every app's rows, coaching's check-ins, items and showcases among them
    with scopes_disabled():
        first_day = rehearsal.days.order_by("starts_at").first()
        assert first_day.starts_at <= timezone.now() < first_day.ends_at
        assert rehearsal.days.count() == days_before
        assert Attendance.objects.filter(session=rehearsal).count() == rehearsal_marks
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
