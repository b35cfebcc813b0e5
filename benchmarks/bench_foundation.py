"""Core pages and the audit trail: city 0 carries 400 audit events (team changes, as the team
services write them) so its audit page and CSV have rows to show."""

from benchmarks.support import Page


def extend(world):
    from accelerator.audit import audit_record

    city = world.cities[0]
    for n in range(400):
        audit_record(action="team.member_added", actor=world.staff, city=city,
                     data={"person_name": f"Person {n}", "role": "chief_data_officer", "title": ""})


def pages(world):
    city, cohort = world.cities[0].slug, world.cohort.slug
    return [
        Page("staff home", world.staff, "/"),
        Page("home, no role yet", world.nobody, "/"),
        Page("cohorts list (staff)", world.staff, "/cohorts/"),
        Page("people (staff)", world.staff, "/people/"),
        Page("city team page (staff)", world.staff, f"/cities/{city}/team/"),
        Page("city audit page, 400 events (staff)", world.staff, f"/cities/{city}/audit/"),
        # Each download of the audit CSV records one more event: a few more rows by the last sample.
        Page("city audit CSV, 400 events (staff)", world.staff, f"/cities/{city}/audit.csv", rows=400),
        Page("cities CSV, 100 cities", world.staff, f"/cohorts/{cohort}/export/cities.csv", rows=100),
        Page("people CSV, 500 people", world.staff, f"/cohorts/{cohort}/export/people.csv", rows=500),
    ]
