"""The program calendar in a real browser: staff create a workshop, a member answers, staff mark
attendance; every page visited passes the axe-core check."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accelerator.tests.browser import assert_accessible, login_as
from agenda.models import Attendance, Response, Session
from agenda.tests.factories import coaching_session, create_session, in_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_create_a_workshop_and_a_member_answers(browser_context, live_server, world):
    with scope(city=world.city):
        page = browser_context.new_page()
        login_as(browser_context, live_server.url, world.users["staff"])
        page.goto(f"/cohorts/{world.cohort.slug}/sessions/")
        assert_accessible(page)
        page.get_by_role("link", name="New session").click()
        page.wait_for_url("**/sessions/new/")
        assert_accessible(page)
        page.get_by_label("Title").fill("Measuring what matters")
        page.get_by_label("Kind").select_option("workshop")
        page.get_by_label("Audience").select_option("senior_teams")
        page.get_by_label("Time zone").select_option("America/Chicago")
        day = in_days(12).strftime("%Y-%m-%d")
        page.locator("#id_starts_at").fill(f"{day}T10:00")
        page.locator("#id_ends_at").fill(f"{day}T09:00")  # before the start: refused
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        page.get_by_text("The session must end after it starts.").first.wait_for()
        assert_accessible(page)
        page.locator("#id_ends_at").fill(f"{day}T12:00")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url("**/sessions/*/")
        assert page.get_by_role("heading", level=1).inner_text() == "Measuring what matters"
        assert "2 invited" in page.content()
        assert_accessible(page)
        session = Session.objects.get(title="Measuring what matters")

        member_context_page = page
        browser_context.clear_cookies()
        login_as(browser_context, live_server.url, world.users["member"])
        member_context_page.goto("/sessions/")
        assert_accessible(member_context_page)
        member_context_page.get_by_role("link", name="Measuring what matters").click()
        member_context_page.get_by_label("Apology: I cannot attend and say why", exact=False).check()
        member_context_page.get_by_role("button", name="Save my answer").click()
        member_context_page.get_by_text("Say briefly why you cannot come").first.wait_for()
        assert_accessible(member_context_page)
        member_context_page.get_by_role("textbox", name="Reason").fill("Council budget vote")
        member_context_page.get_by_role("button", name="Save my answer").click()
        member_context_page.get_by_text("your answer is saved").wait_for()
        assert session.invitations.get(person=world.users["member"]).response == Response.APOLOGY
        member_context_page.goto("/sessions/")
        member_context_page.get_by_role("button", name="Create my feed address").click()
        member_context_page.get_by_text("Your calendar feed address is ready").wait_for()
        feed_url = member_context_page.get_by_label("Your feed address").input_value()
        assert feed_url.startswith(live_server.url + "/calendar/") and feed_url.endswith(".ics")
        assert_accessible(member_context_page)
        member_context_page.goto(f"/cities/{world.city.slug}/sessions/")
        assert_accessible(member_context_page)


def test_staff_mark_attendance_and_see_it_on_the_cohort_page(browser_context, live_server, world):
    start = timezone.now() - datetime.timedelta(days=1)
    session = create_session(world, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    coaching_session(world)
    # The live server's requests open their own scopes, in its own thread.
    page = browser_context.new_page()
    login_as(browser_context, live_server.url, world.users["staff"])
    page.goto(f"/sessions/{session.code}/attendance/")
    assert_accessible(page)
    page.get_by_label(f"Attendance of {world.users['member'].full_name}").select_option("present")
    page.get_by_label(f"Attendance of {world.users['outsider'].full_name}").select_option("late")
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_text("Attendance saved").wait_for()
    with scopes_disabled():  # reads both cities' rows: a workshop's attendance spans them
        assert Attendance.objects.filter(session=session).count() == 2
    page.goto(f"/cohorts/{world.cohort.slug}/")
    assert "100%" in page.content()
    assert_accessible(page)
    page.goto(f"/cohorts/{world.cohort.slug}/sessions/?view=list")
    assert_accessible(page)
    page.goto(f"/sessions/{session.code}/")
    assert_accessible(page)
    upcoming = Session.objects.exclude(pk=session.pk).first()
    page.goto(f"/sessions/{upcoming.code}/edit/")
    assert_accessible(page)
    page.goto(f"/sessions/{upcoming.code}/cancel/")
    assert_accessible(page)
    page.goto(f"/cities/{world.city.slug}/")
    assert_accessible(page)


def test_kind_labels_today_filters_and_closed_sessions_pass_axe(browser_context, live_server, world):
    now = timezone.now()
    for city in (world.city, world.other_city):
        create_session(world, kind=Session.Kind.COACHING, title="Coaching check-in 2", city=city,
                       audience=Session.Audience.CITY, starts_at=now - datetime.timedelta(minutes=30),
                       ends_at=now + datetime.timedelta(minutes=30))
    for kind in ("keynote", "showcase", "convening"):
        create_session(world, kind=kind, title=f"A {kind}", audience="mayors", learning_goal="lead", days_ahead=3,
                       venue="City Hall")
    create_session(world, kind="checkpoint", title="A checkpoint", audience="city", city=world.city, days_ahead=4)
    create_session(world, title="Team workshop", days_ahead=-2)  # the mayor is not invited
    page = browser_context.new_page()
    login_as(browser_context, live_server.url, world.users["staff"])
    calendar = f"/cohorts/{world.cohort.slug}/sessions/"
    page.goto(calendar)
    assert page.locator('td[aria-current="date"]').get_by_text("Today").count() == 1
    assert page.get_by_text("Coaching check-in 2 — Beta City").count() >= 2  # the month and its table
    assert_accessible(page)
    page.get_by_label("Kind").select_option("coaching")
    page.get_by_label("City").select_option("beta")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**kind=coaching**")
    assert page.get_by_text("Coaching check-in 2 — Alpha City").count() == 0
    assert_accessible(page)
    page.goto(calendar + "?view=list&goal=nonsense")
    page.get_by_text("There is no learning goal “nonsense”").wait_for()
    assert_accessible(page)
    browser_context.clear_cookies()
    login_as(browser_context, live_server.url, world.users["mayor"])
    for path in (f"/cities/{world.city.slug}/sessions/", f"/cities/{world.city.slug}/", "/sessions/"):
        page.goto(path)
        assert_accessible(page)
    page.goto(f"/cities/{world.city.slug}/sessions/")
    assert page.get_by_role("link", name="Team workshop").count() == 0
    assert page.get_by_text("Team workshop").count() == 1
