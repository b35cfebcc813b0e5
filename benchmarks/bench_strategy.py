"""Strategy builder: a full plan (4 components × 5 goals × 5 actions × 2 measures) on the plan
page, the print view and the Word export, next to a one-goal plan; times as ratios to baseline."""

from benchmarks.support import client_for, time_get

FULL = {"goals": 5, "actions": 5, "measures": 2}


def extend(world):
    from strategy.tests.factories import build_plan

    build_plan(world.cities[0], **FULL)
    for city in world.cities[1:]:
        build_plan(city)


def run(world, baseline):
    results = []
    member = client_for(world.people[1])  # city 0's city manager
    full, small = world.cities[0].slug, world.cities[1].slug
    for label, url in [
        ("plan page, full plan (100 actions)", f"/cities/{full}/strategy/"),
        ("plan page, one goal per component", f"/cities/{small}/strategy/"),
        ("print view, full plan", f"/cities/{full}/strategy/print/"),
        ("Word export, full plan", f"/cities/{full}/strategy/export.docx"),
        ("history page, full plan", f"/cities/{full}/strategy/history/"),
    ]:
        client = member if full in url else client_for(world.people[6])
        seconds, queries = time_get(client, url)
        results.append((f"{label}: time ÷ baseline", seconds / baseline, "×"))
        results.append((f"{label}: queries", queries, "queries"))
    return results
