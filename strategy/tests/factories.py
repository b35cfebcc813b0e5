"""Plans of any size, written straight to the database (fast), plus small helpers."""

from decimal import Decimal

from django_scopes import scopes_disabled

from ..guide import COMPONENT_KINDS
from ..models import Action, Component, Goal, Measure, Section
from ..selectors import strategy_for

FULL_TEXT = {
    "vision": "Every resident can see how the city is doing on what matters to them.",
    "priorities": "Faster permit approvals\nFewer traffic deaths\nShorter waits for housing help",
    "people": "Two analysts in a shared service; training for managers.",
    "practices": "A monthly performance review of the mayor's priorities.",
    "platforms": "A dataset inventory, then a small warehouse, then a public dashboard.",
    "engagement": "Quarterly updates to staff; resident panels choose the measures.",
    "evaluation": "The governance group reviews the plan twice a year; the data policy is adopted by council.",
}


@scopes_disabled()
def build_plan(city, goals=1, actions=1, measures=1, complete=True, owner=None):
    """Fill a city's plan: `goals` per component, `actions` per goal, `measures` per action."""
    strategy = strategy_for(city)
    if complete:
        for section in Section.objects.filter(city=city):
            section.text = FULL_TEXT[section.key]
            section.save(update_fields=["text"])
        Component.objects.filter(city=city).update(current_level=2, current_state="Some datasets have owners.")
    components = {c.kind: c for c in Component.objects.filter(city=city)}
    goal_rows = Goal.objects.bulk_create([
        Goal(city=city, strategy=strategy, component=components[kind], title=f"{kind} goal {g + 1}", position=g)
        for kind in COMPONENT_KINDS for g in range(goals)
    ])
    action_rows = Action.objects.bulk_create([
        Action(city=city, strategy=strategy, goal=goal, what=f"{goal.title} action {a + 1}", owner="Chief data officer",
               owner_member=owner, start_quarter=1 + (a % 8), end_quarter=min(12, 3 + (a % 8)),
               status=Action.Status.ON_TRACK, milestones="Charter agreed\nFirst meeting", resources="Staff time",
               position=a)
        for goal in goal_rows for a in range(actions)
    ])
    Measure.objects.bulk_create([
        Measure(city=city, strategy=strategy, action=action, name=f"Measure {m + 1} of {action.what}",
                baseline=Decimal("10"), target=Decimal("20.5"), unit="days", by_quarter=8, position=m)
        for action in action_rows for m in range(measures)
    ])
    from ..services.completeness import strategy_refresh_completeness

    strategy_refresh_completeness(strategy)
    return strategy


@scopes_disabled()
def section(city, key="vision"):
    strategy_for(city)
    return Section.objects.get(city=city, key=key)


@scopes_disabled()
def approve_plan(city, public=False, approved_by=None):
    """A complete plan with an approved edition 1 (as the workflow leaves it), public if asked."""
    from django.utils import timezone

    from ..models import PublishedEdition, Strategy
    from ..selectors import plan_tree

    # Idempotent: a page of the access matrix may have approved the plan already in this world.
    strategy = build_plan(city) if not Goal.objects.filter(city=city).exists() else strategy_for(city)
    PublishedEdition.objects.get_or_create(city=city, strategy=strategy, edition=1,
                                           defaults={"content": plan_tree(strategy), "approved_by": approved_by})
    Strategy.objects.filter(pk=strategy.pk).update(status=Strategy.Status.PUBLISHED,
                                                   public_since=timezone.now() if public else None)
    strategy.refresh_from_db()
    return strategy
