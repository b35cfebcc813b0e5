"""Feedback after a session in a real browser: an attendee answers from the session page (a bad
answer is explained next to its fields), staff read the results; every page passes axe-core."""

import pytest
from django_scopes import scope, scopes_disabled

from accelerator.tests.browser import assert_accessible, login_as
from agenda.models import Attendance, Session, SessionFeedback
from agenda.tests.factories import create_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_attendee_answers_and_staff_read_the_results(browser_context, live_server, world):
    session = create_session(world, days_ahead=-2, title="Measuring what matters", learning_goal="lead",
                             audience=Session.Audience.MAYORS_AND_TEAMS)
    with scopes_disabled():
        Attendance.objects.create(session=session, person=world.users["member"], city=world.city,
                                  status=Attendance.Status.PRESENT)
    page = browser_context.new_page()
    login_as(browser_context, live_server.url, world.users["member"])
    page.goto(session.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Give feedback").click()
    page.wait_for_url("**/feedback/")
    assert_accessible(page)
    page.get_by_role("textbox", name="Comment").fill("The worked example helped.")
    page.get_by_role("button", name="Send my feedback").click()
    page.get_by_text("Choose a score from 1 to 5.").first.wait_for()
    assert page.get_by_role("textbox", name="Comment").input_value() == "The worked example helped."
    assert_accessible(page)
    page.locator("#id_usefulness_3").check()
    page.locator("#id_will_apply_4").check()
    page.get_by_role("button", name="Send my feedback").click()
    page.get_by_text("Thank you for your feedback.").wait_for()
    assert "You rated its usefulness 4 of 5" in page.content()
    with scope(city=world.city):
        answer = SessionFeedback.objects.get(session=session)
    assert (answer.usefulness, answer.will_apply) == (4, 5)

    browser_context.clear_cookies()
    login_as(browser_context, live_server.url, world.users["staff"])
    page.goto(session.get_absolute_url())
    page.get_by_role("link", name="Feedback", exact=True).click()
    page.wait_for_url("**/feedback/results/")
    assert "The worked example helped." in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="The cohort's feedback").click()
    page.wait_for_url(f"**/cohorts/{world.cohort.slug}/feedback/")
    assert "Measuring what matters" in page.content()
    assert_accessible(page)
