"""The strategy pages in a real browser, with axe-core on each, and two people editing at once."""

import pytest
from django_scopes import scope

from accelerator.tests.browser import assert_accessible, login_as

from ..models import Revision
from .factories import build_plan, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_strategy_pages_are_accessible(browser_context, live_server, world):
    with scope(city=world.city):
        build_plan(world.city, goals=2, actions=2, measures=1)
        vision = section(world.city)
        from ..services.editing import unit_save

        unit_save(city=world.city, actor=world.users["member"], unit=vision, values={"text": "A better vision."},
                  base_version=vision.version)
        revision = Revision.objects.get()
        from ..services.editing import unit_create

        unit_create(city=world.city, actor=world.users["member"], kind="goal",
                    parent=world.city.strategy_components.get(kind="use"),
                    values={"title": "A goal with nothing under it"})
        page = browser_context.new_page()
        login_as(browser_context, live_server.url, world.users["member"])
        base = f"/cities/{world.city.slug}/strategy/"
        for path in [base, f"{base}?part=use", f"{base}?part=timeline",
                     f"{base}edit/section/{vision.code}/", f"{base}history/", f"{base}history/{revision.code}/",
                     f"{base}print/", f"{base}review/", f"{base}comments/", f"{base}maturity/baseline/"]:
            page.goto(path)
            assert page.get_by_role("heading", level=1).count() == 1, path
            assert_accessible(page)
        page.goto(f"{base}print/")
        page.emulate_media(media="print")
        assert not page.get_by_text("Back to the plan").is_visible()  # controls stay off paper
        assert page.pdf().startswith(b"%PDF")
        action = world.city.strategy_actions.first()
        page.goto(f"{base}edit/action/{action.code}/")
        assert_accessible(page)
        page.get_by_label("End quarter").select_option("Y1 Q1")
        page.get_by_label("Start quarter").select_option("Y2 Q1")
        page.get_by_role("button", name="Save").click()
        assert page.get_by_text("The end quarter comes before the start quarter.").is_visible()
        assert_accessible(page)


def test_two_editors_the_second_sees_both_texts(browser_context, live_server, world):
    with scope(city=world.city):
        from playwright.sync_api import expect

        vision = section(world.city)
        url = f"/cities/{world.city.slug}/strategy/edit/section/{vision.code}/"
        first = browser_context.another_context()
        login_as(first, live_server.url, world.users["mayor"])
        login_as(browser_context, live_server.url, world.users["member"])
        mayor_page, member_page = first.new_page(), browser_context.new_page()
        mayor_page.goto(url)
        member_page.goto(url)
        mayor_page.get_by_label("Three-year vision").fill("The mayor's words.")
        member_page.get_by_label("Three-year vision").fill("The member's words.")
        # The member's autosave keeps a draft; nothing is saved yet.
        expect(member_page.locator("[data-autosave-status]")).to_contain_text("Draft kept", timeout=10000)
        mayor_page.get_by_role("button", name="Save").click()
        mayor_page.wait_for_url("**/strategy/#section-*")
        member_page.get_by_label("Three-year vision").fill("The member's words, longer.")
        expect(member_page.locator("[data-autosave-status]")).to_contain_text("Someone else saved", timeout=10000)
        member_page.get_by_role("button", name="Save").click()
        conflict = member_page.get_by_role("alert").filter(has_text="Someone else saved this while you were editing")
        expect(conflict).to_be_visible()
        expect(conflict.locator(".conflict-current")).to_contain_text("The mayor's words.")
        expect(conflict.locator(".conflict-yours")).to_contain_text("The member's words, longer.")
        assert_accessible(member_page)
        member_page.get_by_label("Three-year vision").fill("The mayor's words. The member's words, longer.")
        member_page.get_by_role("button", name="Save my merged text").click()
        member_page.wait_for_url("**/strategy/#section-*")
        vision.refresh_from_db()
        assert vision.text == "The mayor's words. The member's words, longer." and vision.version == 3
        first.close()


def test_review_through_the_browser_coach_comments_and_endorses_mayor_approves(browser_context, live_server, world):
    with scope(city=world.city):
        from playwright.sync_api import expect

        from ..models import Strategy
        from ..services.review import strategy_transition

        build_plan(world.city)
        member = world.users["member"]
        strategy_transition(city=world.city, actor=member, name="submit")
        base = f"/cities/{world.city.slug}/strategy/"

        login_as(browser_context, live_server.url, world.users["coach"])
        page = browser_context.new_page()
        page.goto(f"{base}comments/")
        page.get_by_label("Part of the plan").select_option(label="Data quality")
        page.get_by_role("textbox", name="Comment").fill("Which datasets come first?")
        page.get_by_role("button", name="Add comment").click()
        expect(page.get_by_text("Which datasets come first?")).to_be_visible()
        assert_accessible(page)
        page.goto(f"{base}review/")
        assert_accessible(page)
        page.locator("#step-endorse").get_by_role("button", name="Endorse for the mayor's approval").click()
        expect(page.get_by_text("Done: Endorse for the mayor's approval.")).to_be_visible()
        assert Strategy.objects.get(city=world.city).status == Strategy.Status.ENDORSED

        mayor_context = browser_context.another_context()
        login_as(mayor_context, live_server.url, world.users["mayor"])
        mayor = mayor_context.new_page()
        mayor.goto(base)
        mayor.get_by_role("link", name="Approve and publish").click()
        mayor.locator("#step-approve").get_by_role("button", name="Approve and publish").click()
        expect(mayor.get_by_text("Done: Approve and publish.")).to_be_visible()
        assert_accessible(mayor)
        assert Strategy.objects.get(city=world.city).status == Strategy.Status.PUBLISHED
        mayor.goto(f"{base}editions/1/")
        assert_accessible(mayor)
        mayor.goto(f"/cities/{world.city.slug}/")
        expect(mayor.get_by_role("heading", name="Data strategy")).to_be_visible()
        assert_accessible(mayor)
        mayor_context.close()

        staff_context = browser_context.another_context()
        login_as(staff_context, live_server.url, world.users["staff"])
        staff = staff_context.new_page()
        staff.goto(f"/cohorts/{world.cohort.slug}/")
        # The plan's state is the Strategy column of the cohort's table of cities (one fact, once).
        table = staff.get_by_role("region", name="Table of cities")
        published = f"Approved by the mayor and published — {world.city.name}"
        expect(table.get_by_role("link", name=published)).to_be_visible()
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(staff)
        assert not [v["id"] for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        staff_context.close()


def test_a_team_member_sees_the_whole_checklist_before_the_first_attempt(browser_context, live_server, world):
    from playwright.sync_api import expect

    page = browser_context.new_page()
    login_as(browser_context, live_server.url, world.users["member"])
    page.goto(f"/cities/{world.city.slug}/strategy/")
    checklist = page.get_by_role("region", name="What submission needs")
    expect(checklist).to_be_visible()
    for part in ("Three-year vision", "Data governance", "Transparency", "Evaluating and sustaining progress"):
        expect(checklist.get_by_role("heading", name=part, exact=False).first).to_be_visible()
    # Rules about actions and measures are there before any goal, action or measure exists.
    expect(checklist.get_by_text("Every action has at least one measure.").first).to_be_visible()
    expect(checklist.get_by_text("Every measure has a target, a unit and a date.").first).to_be_visible()
    submit = page.get_by_role("button", name="Submit to the coach")
    expect(submit).to_be_disabled()
    expect(submit).to_have_accessible_description("Not yet: 19 things in the checklist below are still to fill in. "
                                                  "See what submission needs")
    assert_accessible(page)


def test_the_public_and_peer_pages_are_accessible(browser_context, live_server, world):
    from .factories import approve_plan

    with scope(city=world.city):
        strategy = approve_plan(world.city, public=True)
        action = world.city.strategy_actions.first()
        from ..services.sharing import unit_share

        unit_share(city=world.city, actor=world.users["member"], kind="action", code=action.code, shared=True,
                   learning_goal="invest")
    assert strategy.public_since
    page = browser_context.new_page()
    for path in (f"/strategies/{world.cohort.slug}/", f"/strategies/{world.cohort.slug}/{world.city.slug}/"):
        page.goto(path)
        assert page.get_by_role("heading", level=1).count() == 1, path
        assert_accessible(page)
    login_as(browser_context, live_server.url, world.users["outsider"])
    page.goto(f"/cities/{world.other_city.slug}/strategy/peers/")
    assert page.get_by_text(action.what).is_visible()
    assert_accessible(page)
    login_as(browser_context, live_server.url, world.users["mayor"])
    page.goto(f"/cities/{world.city.slug}/strategy/")
    assert page.get_by_role("button", name="Withdraw from public view").is_visible()
    assert_accessible(page)
