from benchmarks.support import client_for, time_get


def run(world, baseline):
    results = []
    staff = client_for(world.staff)
    coach = client_for(world.coaches[0])
    for label, client, url in [
        ("staff home", staff, "/"),
        ("cohort page (100 cities)", staff, f"/cohorts/{world.cohort.slug}/"),
        ("coach home", coach, "/"),
        ("city team page", staff, f"/cities/{world.cities[0].slug}/team/"),
    ]:
        seconds, queries = time_get(client, url)
        results.append((f"{label}: time ÷ baseline", seconds / baseline, "×"))
        results.append((f"{label}: queries", queries, "queries"))
    return results
