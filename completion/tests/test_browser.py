"""Staff confirm a city's outcome in a real browser, and the certificate reads well on a phone-sized
page; axe-core checks every page visited."""

import pytest

from accelerator.tests.browser import assert_accessible, login_as
from convening.models import EligibilityReview

from .test_outcomes import held_program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_confirm_an_outcome_then_the_team_prints_its_certificate(browser_context, live_server, world):
    held_program(world, review_state=EligibilityReview.State.EXCUSED)
    login_as(browser_context, live_server.url, world.users["staff"])
    page = browser_context.new_page()
    page.goto(f"/cohorts/{world.cohort.slug}/completion/")
    assert_accessible(page)
    page.get_by_role("link", name="Alpha City").click()
    page.wait_for_url(f"**/cities/{world.city.slug}/completion/")
    assert_accessible(page)
    assert "excused by program staff" in page.get_by_role("main").inner_text()
    page.get_by_label("Completed", exact=True).check()
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"**/cities/{world.city.slug}/completion/")
    assert "Outcome confirmed." in page.get_by_role("main").inner_text()
    page.get_by_role("link", name="Certificate of completion").click()
    page.wait_for_url(f"**/cities/{world.city.slug}/certificate/")
    assert_accessible(page)
    text = page.get_by_role("main").inner_text()
    assert "Alpha City" in text and world.users["mayor"].full_name in text and world.cohort.name in text
