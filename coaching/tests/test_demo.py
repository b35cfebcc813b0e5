import pytest
from django.core.management import call_command
from django.utils import timezone

from coaching.models import ActionItem, CheckIn, MayorDecision, Showcase, ShowcaseFeedback

pytestmark = pytest.mark.django_db


def counts():
    return [M.objects.count() for M in (CheckIn, ActionItem, MayorDecision, Showcase, ShowcaseFeedback)]


def test_demo_shows_a_program_in_progress_and_loads_twice_without_change(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = counts()
    assert all(first)
    assert ActionItem.carried_into.through.objects.exists()  # some items carried forward
    statuses = set(MayorDecision.objects.values_list("status", flat=True))
    assert {"pending", "decided"} <= statuses
    assert MayorDecision.objects.filter(status="pending", due_on__lt=timezone.localdate()).exists()
    assert Showcase.objects.filter(status="feedback").exists()
    call_command("seed_demo")
    assert counts() == first
