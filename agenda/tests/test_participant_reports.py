"""Reading participant reports: the formats the platforms export, their encodings, and every kind
of broken row, each said per line."""

import datetime
import pathlib
import zoneinfo

import pytest

from agenda import participant_reports
from agenda.participant_reports import MAX_REPORT_BYTES, ReportError, ReportFormat, normalised_name, parse

DATA = pathlib.Path(__file__).parent / "data"
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def at(day, hour, minute, second=0):
    return datetime.datetime(2026, 11, day, hour, minute, second, tzinfo=NEW_YORK)


def test_a_zoom_participant_report_is_read_below_its_meeting_summary():
    report = parse((DATA / "zoom_participants.csv").read_bytes(), zone=NEW_YORK)
    assert report.format == ReportFormat.ZOOM
    assert report.problems == []
    assert [(row.line, row.email) for row in report.rows][:3] == [
        (5, "host@accelerator.example"), (6, "lucia.fernandez@alpha.example"), (7, "lucia.fernandez@alpha.example")]
    tom = next(row for row in report.rows if row.name == "Tom Okafor")
    assert tom.email == "tom.okafor@alpha.example"  # addresses compare without case
    assert (tom.joined, tom.left) == (at(18, 10, 25), at(18, 12, 0, 30))
    assert [row.email for row in report.rows if row.name.startswith(("Sam", "Dial"))] == ["", ""]


def test_a_teams_report_in_utf16_uses_its_in_meeting_activities():
    raw = (DATA / "teams_attendance.csv").read_bytes()
    assert raw.startswith(b"\xff\xfe")
    report = parse(raw, zone=NEW_YORK)
    assert report.format == ReportFormat.TEAMS
    toms = [(row.joined, row.left) for row in report.rows if row.name == "Tom Okafor"]
    assert toms == [(at(25, 10, 2), at(25, 10, 30)), (at(25, 11, 15), at(25, 11, 59))]
    assert report.rows[0].line == 19


def test_a_teams_report_with_only_its_participants_section_gives_first_join_and_last_leave():
    text = ("1. Summary\nMeeting title\tX\n\n2. Participants\n"
            "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\n"
            "Ana Ruiz\t11/25/26, 10:00:00 AM\t11/25/26, 11:00:00 AM\t1h\tana@x.org\tana@x.org\tAttendee\n")
    report = parse(text.encode("utf-16"), zone=NEW_YORK)
    assert [(r.email, r.joined, r.left) for r in report.rows] == [("ana@x.org", at(25, 10, 0), at(25, 11, 0))]


def test_the_older_teams_event_list_pairs_joins_and_leaves():
    text = ("Full Name\tUser Action\tTimestamp\n"
            "Ana Ruiz\tJoined\t11/25/2026, 10:00:00 AM\n"
            "Ana Ruiz\tLeft\t11/25/2026, 10:20:00 AM\n"
            "Ana Ruiz\tJoined\t11/25/2026, 10:30:00 AM\n"
            "Ben Cole\tJoined\t11/25/2026, 10:05:00 AM\n"
            "Ana Ruiz\tLeft\t11/25/2026, 11:00:00 AM\n"
            "Ben Cole\tWaved\t11/25/2026, 10:06:00 AM\n")
    report = parse(text.encode("utf-16-le"), zone=NEW_YORK)  # no byte-order mark
    assert report.format == ReportFormat.TEAMS
    assert [(r.name, r.joined.time(), r.left.time()) for r in report.rows] == [
        ("Ana Ruiz", datetime.time(10), datetime.time(10, 20)),
        ("Ana Ruiz", datetime.time(10, 30), datetime.time(11)),
        ("Ben Cole", datetime.time(10, 5), datetime.time(11)),  # still in the call at the report's end
    ]
    assert [p.line for p in report.problems] == [7]


def test_a_generic_table_with_offsets_keeps_them():
    text = "email,name,join,leave\nana@x.org,Ana Ruiz,2026-11-25T15:00:00Z,2026-11-25T16:00:00Z\n"
    report = parse(text.encode(), zone=NEW_YORK)
    assert report.format == ReportFormat.GENERIC
    assert report.rows[0].joined == datetime.datetime(2026, 11, 25, 15, tzinfo=datetime.UTC)


def test_a_semicolon_table_saved_in_cp1252_is_read():
    text = "E-mail;Name;Joined;Left\nana@x.org;José Peña;25.11.2026 10:00;25.11.2026 11:00\n"
    report = parse(text.encode("cp1252"), zone=NEW_YORK, dayfirst=True)
    assert report.rows[0].name == "José Peña"
    assert report.rows[0].joined == at(25, 10, 0)


def test_broken_rows_are_each_named_and_left_out():
    text = ("email,name,join,leave\n"
            "ana@x.org,Ana Ruiz,2026-11-25 10:00,2026-11-25 11:00\n"
            "ana@x.org,Ana Ruiz,2026-11-25 10:00,2026-11-25 11:00\n"
            "ben@x.org,Ben Cole,soon,2026-11-25 11:00\n"
            "cy@x.org,Cy Dee,2026-11-25 11:00,2026-11-25 10:00\n"
            ",,2026-11-25 10:00,2026-11-25 11:00\n"
            "dee@x.org,Dee,10:00,11:00\n"
            "eve@x.org,Eve\n")
    report = parse(text.encode(), zone=NEW_YORK)
    assert [row.line for row in report.rows] == [2]
    messages = {p.line: p.message for p in report.problems}
    assert sorted(messages) == [3, 4, 5, 6, 7, 8]
    assert "repeats line 2" in messages[3]
    assert "cannot be read" in messages[4] and "Ben Cole" in messages[4]
    assert "leaves before it joins" in messages[5]
    assert "neither a name nor an email" in messages[6]
    assert "cannot be read" in messages[7]  # a time without a date is not guessed to be today
    assert "cannot be read" in messages[8]


@pytest.mark.parametrize("raw,message", [
    (b"", "empty"),
    (b"  \n", "empty"),
    (b"a" * (MAX_REPORT_BYTES + 1), "larger than"),
    (b"title,speaker\nData,Ana\n", "not a participant report"),
    (b"\x81\x8d\x8f\x90\x9d,name\n", "cannot be read"),
    (b'email,name,join,leave\n"ana@x.org,"Ana\n', None),
])
def test_a_file_that_is_no_report_says_why(raw, message):
    if message is None:  # an unterminated quote swallows the rest: no rows, but no crash
        report = parse(raw, zone=NEW_YORK)
        assert report.rows == []
        return
    with pytest.raises(ReportError, match=message):
        parse(raw, zone=NEW_YORK)


def test_names_compare_without_accents_case_order_or_zoom_device_names():
    assert normalised_name("Lucía Fernández") == normalised_name("fernandez, LUCIA (Guest)")
    assert normalised_name("Sam Rivera (iPhone)") == normalised_name("Sam Rivera")
    assert normalised_name("Sam Rivera") != normalised_name("Sam Riviera")


def test_the_format_label_is_human():
    report = participant_reports.ParticipantReport(ReportFormat.ZOOM)
    assert report.format_label == "Zoom participant report"
