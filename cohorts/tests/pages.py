from accelerator.tests.access import (
    ANON,
    COACH,
    MAYOR,
    MEMBER,
    OTHER_COACH,
    OUTSIDER,
    STAFF,
    Page,
    city_page,
    staff_page,
)


def city(world):
    return {"city_slug": world.city.slug}


def cohort(world):
    return {"cohort_slug": world.cohort.slug}


def membership(world):
    return {"city_slug": world.city.slug, "code": world.city.memberships.exclude(role="mayor").first().code}


def invitation(world):
    from cohorts.models import RoleInvitation
    from cohorts.services.invitations import invitation_create

    inv = invitation_create(email="new@example.org", full_name="New Person", kind=RoleInvitation.Kind.CITY,
                            city=world.city, role="policy", actor=world.users["staff"])
    return {"city_slug": world.city.slug, "code": inv.code}


def roster_file(world):
    return {**cohort(world), "fmt": "xlsx"}


def roster_batch(world):
    from cohorts.services.roster_import import roster_preview
    from cohorts.tests.rosters import as_file, roster_rows

    batch = roster_preview(cohort=world.cohort, file_name="roster.csv", content=as_file(roster_rows(3)),
                           actor=world.users["staff"])
    return {**cohort(world), "code": batch.code}


# Members belong to a cohort's city, so they can tell the cohort exists; they still may not see it.
COHORT_PAGE = {ANON: 302, OUTSIDER: 403, MEMBER: 403, MAYOR: 403, OTHER_COACH: 200, COACH: 200, STAFF: 200}
# Exports hold many cities' people: without access they do not exist.
COHORT_EXPORT = {**COHORT_PAGE, OUTSIDER: 404, MEMBER: 404, MAYOR: 404}
# The roster in the import's format names open invitations too: program staff only.
STAFF_EXPORT = {**COHORT_EXPORT, OTHER_COACH: 404, COACH: 404}

PAGES = [
    Page("cohorts:list", {ANON: 302, OUTSIDER: 403, MEMBER: 403, MAYOR: 403, OTHER_COACH: 200, COACH: 200, STAFF: 200}),
    Page("cohorts:create", staff_page()),
    Page("dashboards:cohort", COHORT_PAGE, cohort),
    Page("cohorts:edit", staff_page(), cohort),
    Page("cohorts:copy", staff_page(), cohort),
    Page("cohorts:city_create", staff_page(), cohort),
    Page("cohorts:people", staff_page()),
    Page("cohorts:export_cities", COHORT_EXPORT, cohort),
    Page("cohorts:export_people", COHORT_EXPORT, cohort),
    Page("cohorts:roster_import", staff_page(), cohort),
    Page("cohorts:roster_template", staff_page(), roster_file),
    Page("cohorts:roster_preview", staff_page(), roster_batch),
    Page("cohorts:roster_export", STAFF_EXPORT, roster_file),
    Page("dashboards:city_home", city_page(), city),
    Page("cohorts:city_edit", city_page(member=403, coach=403), city),
    Page("cohorts:team", city_page(), city),
    Page("cohorts:team_invite", city_page(member=403, coach=403), city),
    Page("cohorts:member_edit", city_page(member=403, coach=403), membership),
    Page("cohorts:member_remove", city_page(member=403, coach=403), membership),
    Page("cohorts:invitation_revoke", {**city_page(member=403, coach=403), STAFF: 302}, invitation, method="post"),
]
