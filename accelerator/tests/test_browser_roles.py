"""Each demo role's main pages as a newcomer finds them, on a laptop (1280 px) and a phone (390 px):
the page never scrolls sideways, navigation that does shows its scroll cue, and axe-core finds
no violation of any impact (minor ones included) on any page, and no template syntax (a comment
left open) shows as text. The 404 page is walked too.

One seeding for every role: loading the demo is the slow part, and the live server needs
committed rows (so this cannot share test_demo's rolled-back seeding)."""

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from accelerator.models import User
from accelerator.tests.browser import axe_violations, layout_problems, login_as
from agenda.models import Session, SessionInvitation
from cohorts.models import City

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)


def city_pages(slug):
    base = f"/cities/{slug}/"
    return [base, base + "team/", base + "sessions/", base + "coaching/", base + "decisions/",
            base + "showcases/", base + "strategy/", base + "strategy/review/", base + "strategy/history/"]


@scopes_disabled()  # the walk spans cities on purpose
def walks():
    curitiba = City.objects.select_related("cohort").get(slug="curitiba")
    cohort = curitiba.cohort
    rehearsal = Session.objects.get(cohort=cohort, title__startswith="Check-in desk rehearsal")
    checkpoint = Session.objects.filter(city=curitiba).order_by("starts_at").first()
    decision = curitiba.mayor_decisions.order_by("pk").first()
    checkin = curitiba.checkins.order_by("-held_on").first()
    vision = curitiba.strategy_sections.get(key="vision")
    everyone = ["/", "/me/", "/sessions/", "/cities/no-such-city/"]
    walks = {
        "staff@example.org": [
            *everyone, rehearsal.get_absolute_url(), "/cohorts/", cohort.get_absolute_url(),
            f"/cohorts/{cohort.slug}/sessions/",
            f"/cohorts/{cohort.slug}/showcases/", f"/cohorts/{cohort.slug}/edit/", f"/cohorts/{cohort.slug}/impact/",
            f"/cohorts/{cohort.slug}/coaching-settings/", f"/cohorts/{cohort.slug}/announcements/", "/outbox/",
            "/people/", f"/sessions/{rehearsal.code}/check-in/",
            f"/sessions/{rehearsal.code}/board/", f"/sessions/{rehearsal.code}/codes/",
            "/cities/curitiba/audit/", "/cities/tulsa/strategy/", "/cohorts/2024/copy/", *city_pages("curitiba"),
        ],
        "coach@example.org": [
            *everyone, rehearsal.get_absolute_url(), cohort.get_absolute_url(), f"/cohorts/{cohort.slug}/sessions/",
            f"/cities/curitiba/coaching/{checkin.code}/", "/cities/curitiba/strategy/comments/",
            *city_pages("curitiba"),
        ],
        "mayor.curitiba@example.org": [
            *everyone, rehearsal.get_absolute_url(), checkpoint.get_absolute_url(),
            f"/cities/curitiba/decisions/{decision.code}/",
            "/cities/curitiba/strategy/maturity/baseline/", *city_pages("curitiba"),
        ],
        "cdo.bogota@example.org": [*everyone, *city_pages("bogota")],
        # On Tulsa's team in 2024 and again in the running cohort: home lists both.
        "cdo.tulsa@example.org": [*everyone, "/cities/tulsa/", "/cities/tulsa-returning/"],
        # Curitiba's plan is a draft its team edits (Bogotá's is in review).
        "cdo.curitiba@example.org": [f"/cities/curitiba/strategy/edit/section/{vision.code}/"],
    }
    for email, paths in walks.items():  # a session page the person is invited to
        invitation = SessionInvitation.objects.filter(person__email=email).order_by("session__starts_at").first()
        if invitation is not None:
            paths.append(invitation.session.get_absolute_url())
    return walks


def test_every_role_walks_its_main_pages_on_a_laptop_and_a_phone(browser_context, live_server, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    settings.DEBUG = False
    problems = []
    for email, paths in walks().items():
        context = browser_context.another_context()
        login_as(context, live_server.url, User.objects.get(email=email))
        page = context.new_page()
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for path in paths:
                response = page.goto(path)
                expected = 404 if "no-such-city" in path else 200
                where = f"{email} {width}px {path}"
                if response.status != expected:
                    problems.append(f"{where}: status {response.status}")
                    continue
                if page.locator("main h1").count() != 1:
                    problems.append(f"{where}: no single main heading")
                if any(tag in page.inner_text("body") for tag in ("{#", "#}", "{%", "%}", "{{", "}}")):
                    problems.append(f"{where}: template syntax printed on the page")
                problems += [f"{where}: {p}" for p in layout_problems(page)]
                problems += [f"{where}: {v}" for v in axe_violations(page, impacts=None)]
        context.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
