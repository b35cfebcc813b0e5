"""Program staff set up a whole cohort from a spreadsheet in a real browser, axe-core on every page."""

import pytest
from django_scopes import scopes_disabled

from accelerator.tests.browser import assert_accessible, login_as
from cohorts.models import City, Cohort, RoleInvitation
from cohorts.tests.factories import CohortFactory
from cohorts.tests.rosters import as_file, roster_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def upload(page, name, content):
    page.get_by_label("Roster file").first.set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": content}])
    page.get_by_role("button", name="Upload and preview").first.click()
    page.wait_for_url("**/import/*/")
    assert_accessible(page)


def test_staff_import_fifteen_cities_fix_two_errors_confirm_and_reimport_changes_nothing(
        browser_context, live_server, world, outbox):
    with scopes_disabled():
        cohort = CohortFactory(name="Cohort 2027", slug="c2027", status=Cohort.Status.PLANNED)
    login_as(browser_context, live_server.url, world.users["staff"])
    page = browser_context.new_page()
    page.goto(f"/cohorts/{cohort.slug}/")
    assert "No city in this cohort yet." in page.get_by_role("region", name="Set-up checklist").inner_text()
    page.get_by_role("link", name="Import from a file").click()
    page.wait_for_url("**/import/")
    assert_accessible(page)

    rows = roster_rows(15)
    good = as_file(rows, "xlsx")
    rows[6]["role"] = "treasurer"  # deliberate error 1: an unknown role
    rows[11]["role"] = "mayor"  # deliberate error 2: a second mayor in Town 3
    upload(page, "cohort-2027.xlsx", as_file(rows, "xlsx"))
    assert "2 rows have problems" in page.get_by_role("alert").inner_text()
    assert "Unknown role “treasurer”" in page.locator("#row-8").inner_text()
    assert "A second mayor for Town 3: row 12 is its mayor" in page.locator("#row-13").inner_text()
    assert page.get_by_role("button", name="Confirm and import").count() == 0
    with scopes_disabled():
        assert not City.objects.filter(cohort=cohort).exists()

    upload(page, "cohort-2027-corrected.xlsx", good)
    summary = page.locator("#import-summary").inner_text()
    assert "Confirming adds 15 cities, changes 0, sends 75 invitations" in summary
    page.get_by_role("button", name="Confirm and import").click()
    page.wait_for_url(f"**/cohorts/{cohort.slug}/")
    assert "75 invitations queued" in page.get_by_role("alert").filter(has_text="Imported").inner_text()
    assert_accessible(page)
    with scopes_disabled():
        assert City.objects.filter(cohort=cohort).count() == 15
        assert RoleInvitation.objects.filter(city__cohort=cohort).count() == 75
    assert len(outbox.rows(kind="people.invited")) == 75

    page.goto(f"/cohorts/{cohort.slug}/import/")
    upload(page, "cohort-2027-corrected.xlsx", good)
    assert "Nothing to change" in page.locator("#import-nothing").inner_text()
    assert page.get_by_role("button", name="Confirm and import").count() == 0
    with scopes_disabled():
        assert RoleInvitation.objects.filter(city__cohort=cohort).count() == 75
    assert len(outbox.rows(kind="people.invited")) == 75
