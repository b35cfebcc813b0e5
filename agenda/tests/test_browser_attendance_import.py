"""Video-call attendance in a real browser: staff import a Zoom report and a Teams report for two
workshops, confirm the rows that need it, and the ledger and the attendance export show the marks;
every page visited passes the axe-core check."""

import csv
import io
import pathlib

import pytest
from django_scopes import scopes_disabled

from accelerator.tests.browser import assert_accessible, login_as
from agenda.models import Attendance
from agenda.tests.test_attendance_import import TEAMS_START, ZOOM_START, report_people, workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = pathlib.Path(__file__).parent / "data"


def _ledger(session):
    with scopes_disabled():  # a workshop's marks span both cities
        return {a.person.full_name: (a.status, a.source, a.marked_by.full_name)
                for a in Attendance.objects.filter(session=session).select_related("person", "marked_by")}


def _import(page, session, filename):
    page.goto(f"/sessions/{session.code}/attendance/")
    page.get_by_role("link", name="Import a video-call report").click()
    page.wait_for_url("**/attendance/import/")
    assert_accessible(page)
    page.get_by_label("Participant report").set_input_files(str(DATA / filename))
    page.get_by_role("button", name="Read the report").click()
    page.get_by_text("Read as:").wait_for()
    assert_accessible(page)


def test_staff_import_a_zoom_and_a_teams_report(browser_context, live_server, world):
    report_people(world)  # the people the sample reports name
    zoom_workshop = workshop(world, ZOOM_START)
    teams_workshop = workshop(world, TEAMS_START, title="Open data portals")
    page = browser_context.new_page()
    login_as(browser_context, live_server.url, world.users["staff"])

    _import(page, zoom_workshop, "zoom_participants.csv")
    assert "Zoom participant report, 7 rows" in page.content()
    assert page.get_by_label("Apply to Tom Okafor").is_checked()
    assert not page.get_by_label("Apply to Sam Rivera").is_checked()  # matched by name: staff confirm
    page.get_by_text("Dial-in 555-0142").wait_for()  # not matched, listed
    page.get_by_label("Apply to Sam Rivera").check()
    page.get_by_role("button", name="Confirm import").click()
    page.get_by_text("Report imported: 6 marks changed.").wait_for()
    assert page.get_by_label("Attendance of Tom Okafor").input_value() == "late"
    assert page.get_by_label("Attendance of Grace Lin").input_value() == "left_early"
    assert_accessible(page)
    staff = world.users["staff"].full_name
    assert _ledger(zoom_workshop) == {
        "Lucía Fernández": ("present", "import", staff), "Tom Okafor": ("late", "import", staff),
        "Grace Lin": ("left_early", "import", staff), "Sam Rivera": ("present", "import", staff),
        world.users["member"].full_name: ("absent", "import", staff),
        world.users["outsider"].full_name: ("absent", "import", staff),
    }

    # A mark set by hand before the Teams report is kept unless its row is ticked.
    page.goto(f"/sessions/{teams_workshop.code}/attendance/")
    page.get_by_label("Attendance of Grace Lin").select_option("excused")
    page.get_by_label(f"Attendance of {world.users['member'].full_name}").select_option("excused")
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_text("Attendance saved").wait_for()
    _import(page, teams_workshop, "teams_attendance.csv")
    assert "Microsoft Teams attendance report" in page.content()
    assert not page.get_by_label("Apply to Grace Lin").is_checked()
    assert not page.get_by_label("Apply to Lucía Fernández").is_checked()  # plus a guest entry by name
    page.get_by_label("Apply to Grace Lin").check()
    page.get_by_label("Apply to Lucía Fernández").check()
    page.get_by_role("button", name="Confirm import").click()
    page.get_by_text("Report imported").wait_for()
    ledger = _ledger(teams_workshop)
    assert ledger["Grace Lin"] == ("present", "import", staff)
    assert ledger["Tom Okafor"] == ("left_early", "import", staff)
    assert ledger[world.users["member"].full_name] == ("excused", "manual", staff)  # not ticked: kept
    assert page.get_by_label("Attendance of Tom Okafor").input_value() == "left_early"

    # The same file again changes nothing.
    _import(page, teams_workshop, "teams_attendance.csv")
    page.get_by_role("button", name="Confirm import").click()
    page.get_by_text("nothing changed").wait_for()
    assert _ledger(teams_workshop) == ledger

    page.goto(f"/cohorts/{world.cohort.slug}/")
    assert_accessible(page)
    export = page.request.get(f"/cohorts/{world.cohort.slug}/export/attendance.csv")
    assert export.ok
    rows = list(csv.DictReader(io.StringIO(export.text().lstrip("\ufeff"))))
    imported = [row for row in rows if (row["Source"], row["Operator"]) == ("Video-call report", staff)]
    assert len(imported) == 6 + 5
    assert any(row["City"] == "Alpha City" and row["Person"] == "Tom Okafor" and row["Session"] == "Open data portals"
               and row["Attendance"] == "Left early" for row in imported)
    assert any(row["Person"] == "Grace Lin" and row["Session"] == "Data routines workshop"
               and row["Attendance"] == "Left early" for row in imported)
    assert any(row["Attendance"] == "Excused" and (row["Source"], row["Operator"]) == ("Marked by hand", staff)
               for row in rows)

    page.goto(f"/cohorts/{world.cohort.slug}/attendance-settings/")
    assert_accessible(page)
