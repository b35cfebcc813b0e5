"""Importing a participant report: matching rows to invitees, merging intervals, the cohort's
thresholds, marks set by hand, stand-ins, and bad input that changes nothing."""

import csv
import datetime
import io
import pathlib
import re
import zoneinfo
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accelerator.errors import RuleViolation
from accelerator.models import AuditEvent
from agenda.models import Attendance, AttendanceThresholds, Session
from agenda.services.attendance import attendance_mark
from agenda.services.attendance_import import (
    attendance_import_apply,
    attendance_import_preview,
    merge_intervals,
    minutes_within,
    propose_status,
)
from agenda.tests.factories import create_session
from cohorts.models import Role
from cohorts.tests.factories import MembershipFactory

DATA = pathlib.Path(__file__).parent / "data"
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
ZOOM = (DATA / "zoom_participants.csv").read_bytes()
TEAMS = (DATA / "teams_attendance.csv").read_bytes()
# The sample reports' calls: 10:00-12:00 in New York on 18 and 25 November 2026.
ZOOM_START = datetime.datetime(2026, 11, 18, 10, tzinfo=NEW_YORK)
TEAMS_START = datetime.datetime(2026, 11, 25, 10, tzinfo=NEW_YORK)


def t(minutes):
    return ZOOM_START + datetime.timedelta(minutes=minutes)


DEFAULTS = AttendanceThresholds()


@scopes_disabled()
def report_people(world):
    """The invitees the sample reports name, beside the world's own senior-team members."""
    def member(city, name, email, role):
        return MembershipFactory(city=city, role=role, user__full_name=name, user__email=email).user

    return SimpleNamespace(
        lucia=member(world.city, "Lucía Fernández", "lucia.fernandez@alpha.example", Role.CITY_MANAGER),
        tom=member(world.city, "Tom Okafor", "tom.okafor@alpha.example", Role.POLICY),
        sam=member(world.city, "Sam Rivera", "sam.rivera@alpha.example", Role.EQUITY_LEAD),
        grace=member(world.other_city, "Grace Lin", "grace.lin@beta.example", Role.CITY_MANAGER),
    )


def workshop(world, start, **fields):
    return create_session(world, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                          title=fields.pop("title", "Data routines workshop"), time_zone="America/New_York", **fields)


@pytest.fixture
def zoom_call(world):
    people = report_people(world)
    return SimpleNamespace(people=people, session=workshop(world, ZOOM_START))


def marks(session):
    with scopes_disabled():
        return {a.person.email: (a.status, a.source) for a in Attendance.objects.filter(session=session)}


def preview(world, session, raw=ZOOM, actor="staff"):
    with scopes_disabled():
        return attendance_import_preview(session=session, actor=world.users[actor], raw=raw, zone=NEW_YORK)


def apply(world, session, raw=ZOOM, accepted=None, actor="staff"):
    with scopes_disabled():
        if accepted is None:
            accepted = {line.code for line in preview(world, session, raw, actor).people
                        if not line.needs_confirmation}
        return attendance_import_apply(session=session, actor=world.users[actor], raw=raw, zone=NEW_YORK,
                                       accepted=accepted)


# Intervals and thresholds


def test_overlapping_and_touching_intervals_merge():
    assert merge_intervals([(t(50), t(60)), (t(0), t(10)), (t(5), t(20)), (t(20), t(30))]) == [
        (t(0), t(30)), (t(50), t(60))]
    assert merge_intervals([]) == []


def test_only_minutes_inside_the_session_count():
    assert minutes_within([(t(-30), t(30)), (t(20), t(40)), (t(110), t(150))], t(0), t(120)) == 50


@pytest.mark.parametrize("intervals,expected", [
    ([(t(0), t(120))], (Attendance.Status.PRESENT, 120, 0)),
    ([(t(10), t(120))], (Attendance.Status.PRESENT, 110, 10)),  # exactly the grace period: on time
    ([(t(11), t(120))], (Attendance.Status.LATE, 109, 11)),
    ([(t(0), t(89))], (Attendance.Status.LEFT_EARLY, 89, 0)),  # 74% of two hours
    ([(t(0), t(90))], (Attendance.Status.PRESENT, 90, 0)),  # 75%
    ([(t(0), t(40)), (t(60), t(110))], (Attendance.Status.PRESENT, 90, 0)),  # a dropped connection
    ([(t(0), t(4))], (Attendance.Status.ABSENT, 4, 0)),
    ([(t(-60), t(-5))], (Attendance.Status.ABSENT, 0, 0)),  # left before it began
    ([], (Attendance.Status.ABSENT, 0, 0)),
    ([(t(30), t(60))], (Attendance.Status.LATE, 30, 30)),  # late and short: late is what is recorded
])
def test_the_default_thresholds(intervals, expected):
    assert propose_status(intervals=intervals, starts_at=t(0), ends_at=t(120), thresholds=DEFAULTS) == expected


def test_a_cohorts_own_thresholds_apply():
    strict = AttendanceThresholds(late_after_minutes=0, min_stay_percent=100, absent_under_minutes=60)
    assert propose_status(intervals=[(t(1), t(120))], starts_at=t(0), ends_at=t(120), thresholds=strict)[0] == "late"
    assert propose_status(intervals=[(t(0), t(119))], starts_at=t(0), ends_at=t(120),
                          thresholds=strict)[0] == "left_early"
    assert propose_status(intervals=[(t(0), t(59))], starts_at=t(0), ends_at=t(120), thresholds=strict)[0] == "absent"


# Matching and proposals


def test_a_zoom_report_is_matched_merged_and_proposed(world, zoom_call):
    result = preview(world, zoom_call.session)
    by_email = {line.invitation.person.email: line for line in result.people}
    p = zoom_call.people
    lucia = by_email[p.lucia.email]
    assert (lucia.status, lucia.lines, lucia.minutes) == ("present", [6, 7], 120)  # two joins, overlapping
    assert by_email[p.tom.email].status == "late" and by_email[p.tom.email].late_by == 25
    assert by_email[p.grace.email].status == "left_early"
    sam = by_email[p.sam.email]
    assert (sam.status, sam.guessed, sam.needs_confirmation) == ("present", True, True)  # by name only
    assert by_email[world.users["member"].email].status == "absent"  # invited, not in the call
    assert by_email[world.users["member"].email].note() == "Not in the report"
    assert sorted(entry.row.line for entry in result.unmatched) == [5, 11]  # the host and a phone
    assert result.problems == []
    assert marks(zoom_call.session) == {}  # a preview writes nothing


def test_confirming_writes_marks_with_source_and_operator_and_audits(world, zoom_call):
    changed = apply(world, zoom_call.session)
    p = zoom_call.people
    written = marks(zoom_call.session)
    assert p.sam.email not in written  # the name guess was not ticked
    assert written[p.tom.email] == ("late", "import")
    assert written[p.grace.email] == ("left_early", "import")
    assert changed == len(written) == 5  # Lucía, Tom, Grace and the world's two members (absent)
    with scopes_disabled():
        mark = Attendance.objects.get(session=zoom_call.session, person=p.tom)
        event = AuditEvent.objects.get(action="attendance.imported")
    assert mark.marked_by == world.users["staff"] and "25 min after the start" in mark.note
    assert event.data["format"] == "zoom" and event.data["count"] == 5
    assert "Zoom participant report" in event.text


def test_reimporting_the_same_file_changes_nothing(world, zoom_call):
    apply(world, zoom_call.session)
    before = marks(zoom_call.session)
    assert apply(world, zoom_call.session) == 0
    assert marks(zoom_call.session) == before
    assert all(line.unchanged for line in preview(world, zoom_call.session).people
               if line.invitation.person != zoom_call.people.sam)


def test_a_name_guess_is_written_once_ticked(world, zoom_call):
    sam = zoom_call.people.sam
    with scopes_disabled():
        code = zoom_call.session.invitations.get(person=sam).code
    apply(world, zoom_call.session, accepted={code})
    assert marks(zoom_call.session) == {sam.email: ("present", "import")}


def test_a_mark_set_by_hand_stays_unless_its_row_is_ticked(world, zoom_call):
    grace = zoom_call.people.grace
    with scopes_disabled():
        invitation = zoom_call.session.invitations.get(person=grace)
        attendance_mark(session=zoom_call.session, actor=world.users["staff"], marks={invitation: "excused"})
    line = next(line for line in preview(world, zoom_call.session).people if line.code == invitation.code)
    assert line.hand_set and line.needs_confirmation and line.current.source == "manual"
    apply(world, zoom_call.session)
    assert marks(zoom_call.session)[grace.email] == ("excused", "manual")
    apply(world, zoom_call.session, accepted={invitation.code})
    assert marks(zoom_call.session)[grace.email] == ("left_early", "import")


def test_an_earlier_import_is_replaced_by_a_corrected_report(world, zoom_call):
    apply(world, zoom_call.session)
    corrected = ZOOM.replace(b"Grace Lin,grace.lin@beta.example,11/18/2026 10:01:00 AM,11/18/2026 10:50:00 AM",
                             b"Grace Lin,grace.lin@beta.example,11/18/2026 10:01:00 AM,11/18/2026 11:59:00 AM")
    assert apply(world, zoom_call.session, raw=corrected) == 1
    assert marks(zoom_call.session)[zoom_call.people.grace.email] == ("present", "import")


def test_the_teams_report_adds_a_name_only_entry_to_the_same_person(world):
    people = report_people(world)
    session = workshop(world, TEAMS_START, title="Open data portals")
    result = preview(world, session, raw=TEAMS)
    lucia = next(line for line in result.people if line.invitation.person == people.lucia)
    assert lucia.guessed and lucia.lines == [20, 24]
    assert "different entries in the report for this one person" in lucia.notes[0]
    tom = next(line for line in result.people if line.invitation.person == people.tom)
    assert (tom.status, tom.minutes) == ("left_early", 72)  # 28 + 44 minutes of 120


def test_invitees_who_sent_an_apology_are_proposed_excused(world, zoom_call):
    member = world.users["member"]
    with scopes_disabled():  # an answer given before the call, as the RSVP page stores it
        zoom_call.session.invitations.filter(person=member).update(response="apology", reason="Council vote")
    line = next(line for line in preview(world, zoom_call.session).people if line.invitation.person == member)
    assert line.status == "excused"


def test_a_stand_in_on_a_mayor_only_session_is_flagged(world):
    people = report_people(world)
    session = workshop(world, ZOOM_START, audience=Session.Audience.MAYORS, kind=Session.Kind.KEYNOTE,
                       title="Mayors' keynote")
    result = preview(world, session)
    flagged = {entry.row.email: entry.stand_in_for for entry in result.unmatched}
    assert flagged[people.tom.email] == world.city.name
    assert flagged[people.grace.email] == world.other_city.name
    assert flagged["host@accelerator.example"] == ""
    assert {line.invitation.person for line in result.people} == {world.users["mayor"], world.mayor_b}


# Bad input: a message, and nothing changes


@pytest.mark.parametrize("raw,message", [
    (b"title,speaker\nData,Ana\n", "not a participant report"),
    (b"\x00" * 10, "empty"),
    (b"email,name,join,leave\n", "no participants"),
    (b"\xff\xfe\x00\xd8", "cannot be read"),  # a lone UTF-16 surrogate
])
def test_an_unreadable_report_is_refused_whole(world, zoom_call, raw, message):
    with pytest.raises(RuleViolation, match=message):
        preview(world, zoom_call.session, raw=raw)
    with pytest.raises(RuleViolation, match=message):
        apply(world, zoom_call.session, raw=raw, accepted={"anything"})
    assert marks(zoom_call.session) == {}


def test_the_report_of_another_day_is_refused(world, zoom_call):
    expected = "report is of a call on Nov. 25, 2026; the session “Data routines workshop” was on Nov. 18"
    with pytest.raises(RuleViolation, match=re.escape(expected)):
        preview(world, zoom_call.session, raw=TEAMS)
    assert marks(zoom_call.session) == {}


def test_rows_of_another_day_are_left_out_and_said(world, zoom_call):
    raw = ZOOM + b"Grace Lin,grace.lin@beta.example,11/19/2026 10:01:00 AM,11/19/2026 11:50:00 AM,109,No\n"
    result = preview(world, zoom_call.session, raw=raw)
    assert [(p.line, "another day" in p.message) for p in result.problems] == [(12, True)]
    grace = next(line for line in result.people if line.invitation.person == zoom_call.people.grace)
    assert grace.status == "left_early"


def test_broken_and_duplicated_rows_are_listed_and_the_rest_imported(world, zoom_call):
    raw = ZOOM + (b"Tom Okafor,tom.okafor@alpha.example,11/18/2026 10:25:00 AM,11/18/2026 12:00:30 PM,96,No\n"
                  b"Nobody,,,,0,No\n")
    result = preview(world, zoom_call.session, raw=raw)
    assert [p.line for p in result.problems] == [12, 13]
    assert apply(world, zoom_call.session, raw=raw) == 5


def test_a_day_first_report_is_read_day_first(world, zoom_call):
    raw = ZOOM.replace(b"11/18/2026", b"18/11/2026")
    tom = next(line for line in preview(world, zoom_call.session, raw=raw).people
               if line.invitation.person == zoom_call.people.tom)
    assert tom.status == "late"


def test_no_import_before_the_start_for_a_cancelled_session_or_the_convening(world, zoom_call):
    upcoming = create_session(world)
    with pytest.raises(RuleViolation, match="once the session has started"):
        preview(world, upcoming)
    convening = workshop(world, ZOOM_START, kind=Session.Kind.CONVENING, audience=Session.Audience.MAYORS,
                         title="Convening", venue="City hall")
    with pytest.raises(RuleViolation, match="check-in desk"):
        preview(world, convening)
    with pytest.raises(RuleViolation, match="cannot mark attendance"):
        preview(world, zoom_call.session, actor="coach")


# The pages


def _url(session):
    return reverse("agenda:session_attendance_import", kwargs={"code": session.code})


def _upload(client, session, raw, name="report.csv", zone="America/New_York"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(_url(session), {"report": SimpleUploadedFile(name, raw, "text/csv"), "time_zone": zone})


def test_upload_shows_a_preview_and_confirming_writes(client, world, zoom_call):
    client.force_login(world.users["staff"])
    response = _upload(client, zoom_call.session, ZOOM)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Read as: Zoom participant report, 7 rows." in body and "Matched by name: confirm" in body
    assert marks(zoom_call.session) == {}
    payload = response.context["payload"]
    sam = next(line for line in response.context["preview"].people if line.guessed)
    ticked = [line.code for line in response.context["preview"].people if not line.needs_confirmation]
    response = client.post(_url(zoom_call.session), {"payload": payload, "accept": [*ticked, sam.code]})
    assert response.status_code == 302
    assert len(marks(zoom_call.session)) == 6
    response = client.post(_url(zoom_call.session), {"payload": payload, "accept": [*ticked, sam.code]}, follow=True)
    assert "nothing changed" in response.content.decode()


def test_bad_uploads_answer_next_to_the_field(client, world, zoom_call):
    client.force_login(world.users["staff"])
    for raw, message in [(b"title,speaker\nx,y\n", "not a participant report"),
                         (TEAMS, "choose the report of this session")]:
        response = _upload(client, zoom_call.session, raw)
        assert response.status_code == 200 and message in response.content.decode()
    response = client.post(_url(zoom_call.session), {"time_zone": "Mars/Olympus"})
    body = response.content.decode()
    assert "Choose the report file to import." in body and "is not a time zone we know" in body
    response = client.post(_url(zoom_call.session), {"payload": "forged", "accept": ["x"]}, follow=True)
    assert "upload the report again" in response.content.decode()
    assert marks(zoom_call.session) == {}


def test_a_file_over_the_limit_is_refused(client, world, zoom_call, settings):
    from agenda.participant_reports import MAX_REPORT_BYTES

    client.force_login(world.users["staff"])
    response = _upload(client, zoom_call.session, ZOOM + b"," * MAX_REPORT_BYTES)
    assert response.status_code == 200 and "is larger than 1024 KB" in response.content.decode()


def test_staff_set_a_cohorts_thresholds(client, world):
    client.force_login(world.users["staff"])
    url = reverse("agenda:cohort_attendance_settings", kwargs={"cohort_slug": world.cohort.slug})
    assert 'value="10"' in client.get(url).content.decode()
    response = client.post(url, {"late_after_minutes": "5", "min_stay_percent": "101", "absent_under_minutes": "3"})
    assert "less than or equal to 100" in response.content.decode()
    assert not AttendanceThresholds.objects.exists()
    response = client.post(url, {"late_after_minutes": "5", "min_stay_percent": "80", "absent_under_minutes": "3"})
    assert response.status_code == 302
    row = AttendanceThresholds.objects.get(cohort=world.cohort)
    assert (row.late_after_minutes, row.min_stay_percent, row.absent_under_minutes) == (5, 80, 3)
    edit = client.get(reverse("cohorts:edit", kwargs={"cohort_slug": world.cohort.slug})).content.decode()
    assert url in edit


def test_the_attendance_export_names_source_and_operator(client, world, zoom_call):
    apply(world, zoom_call.session)
    client.force_login(world.users["staff"])
    response = client.get(reverse("agenda:export_attendance", kwargs={"cohort_slug": world.cohort.slug}))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    tom = next(row for row in rows if row["Person"] == "Tom Okafor" and row["Attendance"])
    assert (tom["Attendance"], tom["Source"], tom["Operator"]) == ("Late", "Video-call report", "Program Staff")
