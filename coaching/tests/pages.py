from accelerator.tests.access import Page, city_page, staff_page
from cohorts.tests.pages import COHORT_EXPORT
from cohorts.tests.pages import cohort as cohort_kwargs


def city(world):
    return {"city_slug": world.city.slug}


def _coach(world):
    return world.users["coach"]


def checkin(world):
    from .factories import CheckInFactory

    return {"city_slug": world.city.slug, "code": CheckInFactory(city=world.city, coach=_coach(world)).code}


def action_item(world):
    from .factories import ActionItemFactory, CheckInFactory

    item = ActionItemFactory(checkin=CheckInFactory(city=world.city, coach=_coach(world)))
    return {"city_slug": world.city.slug, "code": item.code}


def decision(world):
    from .factories import DecisionFactory

    return {"city_slug": world.city.slug, "code": DecisionFactory(city=world.city, raised_by=_coach(world)).code}


def draft_showcase(world):
    from .factories import ShowcaseFactory

    return {"city_slug": world.city.slug,
            "code": ShowcaseFactory(city=world.city, created_by=world.users["member"]).code}


def submitted_showcase(world):
    from coaching.models import Showcase

    from .factories import ShowcaseFactory

    showcase = ShowcaseFactory(city=world.city, created_by=world.users["member"], status=Showcase.Status.SUBMITTED)
    return {"city_slug": world.city.slug, "code": showcase.code}


def evidence(world):
    from .factories import EvidenceFileFactory, ShowcaseFactory

    showcase = ShowcaseFactory(city=world.city, created_by=world.users["member"])
    return {"city_slug": world.city.slug, "code": EvidenceFileFactory(showcase=showcase).code}


def cohort(world):
    return {"cohort_slug": world.cohort.slug}


# A POST that succeeds answers with a redirect to the page it changed.
def city_post(member=302, mayor=None, coach=302, staff=302):
    return city_page(member=member, mayor=mayor, coach=coach, staff=staff)


PAGES = [
    Page("coaching:log", city_page(), city),
    Page("coaching:checkin_create", city_page(member=403), city),
    Page("coaching:checkin_detail", city_page(), checkin),
    Page("coaching:checkin_edit", city_page(member=403), checkin),
    Page("coaching:action_item_status", city_page(), action_item),
    Page("coaching:decisions", city_page(), city),
    Page("coaching:decision_create", city_page(mayor=403), city),
    Page("coaching:decision_detail", city_page(), decision),
    Page("coaching:decision_decide", city_page(member=403, mayor=200, coach=403, staff=403), decision),
    Page("coaching:decision_withdraw", city_post(mayor=403), decision, method="post"),
    Page("coaching:showcases", city_page(), city),
    Page("coaching:showcase_create", city_page(coach=403), city),
    Page("coaching:showcase_detail", city_page(), draft_showcase),
    Page("coaching:showcase_edit", city_page(coach=403), draft_showcase),
    Page("coaching:showcase_submit", city_post(coach=403), draft_showcase, method="post"),
    Page("coaching:showcase_feedback", city_page(member=403), submitted_showcase),
    Page("coaching:file_download", city_page(), evidence),
    Page("coaching:file_remove", city_post(coach=403), evidence, method="post"),
    Page("coaching:cohort_showcases", staff_page(), cohort),
    Page("coaching:cohort_settings", staff_page(), cohort),
]


PAGES.append(Page("coaching:export_action_items", COHORT_EXPORT, cohort_kwargs))
