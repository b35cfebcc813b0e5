"""The dashboard and the city home in a real browser, with axe-core on every page visited."""

import pytest

from accelerator.tests.browser import assert_accessible, login_as
from agenda.tests.factories import create_session

from .factories import fill_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def filled(world):
    held = create_session(world, days_ahead=-1, title="Held workshop")
    fill_city(world.city, coach=world.users["coach"], session=held)
    fill_city(world.other_city, coach=world.users["other_coach"], session=held, checkin_days_ago=40,
              attended=False, overdue_decision=True)
    create_session(world, title="Workshop to answer", audience="everyone")
    return world


def visit(page, path):
    page.goto(path)
    assert page.get_by_role("heading", level=1).count() == 1, path
    assert_accessible(page)


def test_staff_see_who_needs_attention_and_filter_to_one_coach(browser_context, live_server, filled):
    login_as(browser_context, live_server.url, filled.users["staff"])
    page = browser_context.new_page()
    visit(page, f"/cohorts/{filled.cohort.slug}/")
    table = page.get_by_role("region", name="Table of cities")
    assert "Beta City" in table.inner_text() and "Check-in overdue" in table.inner_text()
    assert page.locator("svg[role=img]").count() == 3
    page.get_by_text("Attendance by session as a table").click()
    assert page.get_by_role("table", name="Attendance by session").is_visible()

    page.get_by_label("Coach").select_option(label="Coach Alpha")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**coach=*")
    assert_accessible(page)
    text = page.get_by_role("region", name="Table of cities").inner_text()
    assert "Alpha City" in text and "Beta City" not in text

    page.get_by_role("link", name="City — sort ascending").click()
    page.wait_for_url("**sort=city**")
    assert_accessible(page)
    assert page.get_by_role("columnheader", name="City — sort descending").get_attribute("aria-sort") == "ascending"
    assert "coach=" in page.url  # sorting keeps the filter
    page.get_by_role("link", name="Alpha City").first.click()
    page.wait_for_url(f"**/cities/{filled.city.slug}/")
    assert_accessible(page)


def test_unknown_filter_is_a_notice(browser_context, live_server, filled):
    login_as(browser_context, live_server.url, filled.users["coach"])
    page = browser_context.new_page()
    visit(page, f"/cohorts/{filled.cohort.slug}/?status=asleep")
    assert "Unknown status “asleep” ignored." in page.get_by_role("alert").inner_text()
    assert "Beta City" not in page.content()


@pytest.mark.parametrize("role", ["member", "mayor"])
def test_city_home_on_a_phone(browser_context, live_server, filled, role):
    login_as(browser_context, live_server.url, filled.users[role])
    page = browser_context.new_page()
    page.set_viewport_size({"width": 375, "height": 740})
    visit(page, f"/cities/{filled.city.slug}/")
    assert page.get_by_role("heading", name="What to do next").is_visible()
    assert "Workshop to answer" in page.locator(".next-actions").inner_text()
    if role == "mayor":
        assert "Decide:" in page.locator(".next-actions").inner_text()
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
