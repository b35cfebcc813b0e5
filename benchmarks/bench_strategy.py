"""Strategy builder: a full plan (4 components × 5 goals × 5 actions × 2 measures) with 300 saved
revisions on the plan page, print view, Word export and history, next to a one-goal plan."""

from benchmarks.support import Page

FULL = {"goals": 5, "actions": 5, "measures": 2}
REVISIONS = 300


def extend(world):
    from strategy.models import Action, Revision
    from strategy.tests.factories import build_plan

    strategy = build_plan(world.cities[0], **FULL)
    for city in world.cities[1:]:
        build_plan(city)
    actions = list(Action.objects.filter(city=world.cities[0]).order_by("pk")[:50])
    Revision.objects.bulk_create([
        Revision(city=world.cities[0], strategy=strategy, unit_kind="action", unit_code=action.code,
                 unit_label=action.what, part=action.goal.component.kind, parent_code=action.goal.code,
                 kind=Revision.Kind.EDITED, before={"what": f"{action.what} (v{v})"},
                 after={"what": f"{action.what} (v{v + 1})"}, version=v + 1, actor=world.people[1])
        for v in range(REVISIONS // len(actions)) for action in actions
    ])
    world.revision = Revision.objects.filter(city=world.cities[0]).first()


def csv_rows(world):
    """A row per measure: the full plan's, and one per component in every other city's."""
    full = 4 * FULL["goals"] * FULL["actions"] * FULL["measures"]
    return full + 4 * (len(world.cities) - 1)


def pages(world):
    member = world.people[1]  # city 0's city manager
    full, small = world.cities[0].slug, world.cities[1].slug
    return [
        Page("plan page, full plan (100 actions), member", member, f"/cities/{full}/strategy/"),
        # The page shows one part at a time: a component of the full plan is its largest.
        Page("plan page, full plan, one component (25 actions), member", member,
             f"/cities/{full}/strategy/?part=governance"),
        Page("plan page, one goal per component", world.people[6], f"/cities/{small}/strategy/"),
        Page("print view, full plan", member, f"/cities/{full}/strategy/print/"),
        Page("Word export, full plan", member, f"/cities/{full}/strategy/export.docx"),
        Page("history page, 300 revisions", member, f"/cities/{full}/strategy/history/"),
        Page("one revision", member, f"/cities/{full}/strategy/history/{world.revision.code}/"),
        Page("review page (staff)", world.staff, f"/cities/{full}/strategy/review/"),
        Page("comments page (staff)", world.staff, f"/cities/{full}/strategy/comments/"),
        Page("maturity self-assessment (mayor)", world.people[0], f"/cities/{full}/strategy/maturity/baseline/"),
        Page("strategy actions CSV, 100 cities", world.staff,
             f"/cohorts/{world.cohort.slug}/export/strategy-actions.csv", rows=csv_rows(world)),
    ]
