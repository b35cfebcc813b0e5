from accelerator.tests.access import ANON, COACH, MAYOR, MEMBER, OTHER_COACH, OUTSIDER, STAFF, Page, city_page
from cohorts.tests.pages import COHORT_EXPORT, cohort


def _city(world):
    return {"city_slug": world.city.slug}


def _section(world):
    from .factories import section

    return {**_city(world), "kind": "section", "code": section(world.city).code}


def _component(world):
    from ..models import Component
    from ..selectors import strategy_for

    strategy_for(world.city)
    return {**_city(world), "kind": "goal", "parent_code": Component.objects.get(city=world.city, kind="quality").code}


def _goal(world):
    from ..models import Goal
    from .factories import build_plan

    build_plan(world.city)
    return {**_city(world), "kind": "goal", "code": Goal.objects.filter(city=world.city).first().code}


def _revision(world):
    from ..services.editing import unit_save
    from .factories import section

    unit = section(world.city)
    unit_save(city=world.city, actor=world.users["member"], unit=unit, values={"text": "A vision."},
              base_version=unit.version)
    return {**_city(world), "code": world.city.strategy_revisions.get().code}


def _restore_data(world):
    return {"version": world.city.strategy_sections.get(key="vision").version}


def _autosave_data(world):
    return {"version": 1, "text": "draft text"}


def _thread(world):
    from ..selectors import strategy_for
    from ..services.comments import thread_start

    thread = thread_start(city=world.city, actor=world.users["coach"], strategy=strategy_for(world.city),
                          part="vision", body="Say who benefits.")
    return {**_city(world), "code": thread.code}


def _edition(world):
    from ..models import PublishedEdition
    from ..selectors import plan_tree, strategy_for

    strategy = strategy_for(world.city)
    PublishedEdition.objects.get_or_create(city=world.city, strategy=strategy, edition=1,
                                           defaults={"content": plan_tree(strategy)})
    return {**_city(world), "edition": 1}


def _action(world):
    from ..models import Action
    from .factories import build_plan

    build_plan(world.city)
    return {**_city(world), "kind": "action", "code": Action.objects.filter(city=world.city).first().code}


def _public(world):
    """City A's plan approved and made public by its mayor."""
    from .factories import approve_plan

    approve_plan(world.city, public=True)
    return {"cohort_slug": world.cohort.slug, "place_slug": world.city.slug}


def _approved_not_public(world):
    """City A's plan approved, but its mayor never made it public."""
    from .factories import approve_plan

    approve_plan(world.city, public=False)
    return {"cohort_slug": world.cohort.slug, "place_slug": world.city.slug}


def _public_index(world):
    return {"cohort_slug": _public(world)["cohort_slug"]}


def _index_nothing_public(world):
    return {"cohort_slug": _approved_not_public(world)["cohort_slug"]}


def _approved(world):
    from .factories import approve_plan

    approve_plan(world.city)
    return _city(world)


TEAM_ONLY = city_page(coach=403, staff=403)
# Public pages: everyone alike, signed in or not.
EVERYONE = dict.fromkeys((ANON, OUTSIDER, MEMBER, MAYOR, OTHER_COACH, COACH, STAFF), 200)
# A plan that is not public is no page at all, for everyone: staff and the city's own team too.
NO_ONE = dict.fromkeys(EVERYONE, 404)
TEAM_POST = {**city_page(member=302, coach=403, staff=403)}
ANSWERERS = {**city_page(member=302, coach=302, staff=302)}

PAGES = [
    Page("strategy:plan", city_page(), _city),
    Page("strategy:print", city_page(), _city),
    Page("strategy:export_docx", city_page(), _city),
    Page("strategy:export_pdf", city_page(), _city),
    Page("strategy:share", {**TEAM_POST}, _action, method="post", data=lambda world: {"shared": "1"}),
    Page("strategy:peers", city_page(), _city),
    Page("strategy:edition", city_page(), _edition),
    Page("strategy:edit", TEAM_ONLY, _section),
    Page("strategy:autosave", {**TEAM_ONLY}, _section, method="post", data=_autosave_data),
    Page("strategy:add", TEAM_ONLY, _component),
    Page("strategy:remove", TEAM_ONLY, _goal),
    Page("strategy:history", city_page(), _city),
    Page("strategy:revision", city_page(), _revision),
    Page("strategy:restore", TEAM_POST, _revision, method="post", data=_restore_data),
    Page("strategy:review", city_page(), _city),
    Page("strategy:comments", city_page(), _city),
    Page("strategy:reply", ANSWERERS, _thread, method="post", data=lambda world: {"body": "Done."}),
    Page("strategy:resolve", ANSWERERS, _thread, method="post"),
    Page("strategy:maturity", TEAM_ONLY, lambda world: {**_city(world), "phase": "baseline"}),
]

PAGES.append(Page("strategy:export_actions", COHORT_EXPORT, cohort))
# Last: these approve city A's plan, and the pages above still edit it when several share one world.
PAGES += [
    Page("strategy:public_toggle", city_page(member=403, mayor=302, coach=403, staff=403), _approved, method="post",
         data=lambda world: {"public": "1"}),
    Page("strategy:public", EVERYONE, _public),
    Page("strategy:public", NO_ONE, _approved_not_public),
    Page("strategy:public_pdf", EVERYONE, _public),
    Page("strategy:public_pdf", NO_ONE, _approved_not_public),
    Page("strategy:public_index", EVERYONE, _public_index),
    Page("strategy:public_index", NO_ONE, _index_nothing_public),
]
