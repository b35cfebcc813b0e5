from accelerator.tests.access import Page, city_page
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
    PublishedEdition.objects.create(city=world.city, strategy=strategy, edition=1, content=plan_tree(strategy))
    return {**_city(world), "edition": 1}


TEAM_ONLY = city_page(coach=403, staff=403)
TEAM_POST = {**city_page(member=302, coach=403, staff=403)}
ANSWERERS = {**city_page(member=302, coach=302, staff=302)}

PAGES = [
    Page("strategy:plan", city_page(), _city),
    Page("strategy:print", city_page(), _city),
    Page("strategy:export_docx", city_page(), _city),
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
