import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from accelerator.audit import audit_record
from accelerator.exports import csv_cells, neutralise
from accelerator.models import AuditEvent
from cohorts.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("value,expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("Plain", "Plain"), (None, ""), (42, "42"),
])
def test_formula_cells_are_neutralised(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize("cells", [
    [""], ["a"], ["a", ""], ["a,b", "c"], ['say "hi"'], ["two\nlines"], ["a\rb"], [" spaced ", "\ttab"],
    ["é", "'=x"], [42, "a"], ("tuple", "cells"),
])
def test_csv_cells_are_what_the_csv_writer_writes(cells):
    buffer = io.StringIO()
    csv.writer(buffer).writerow([*cells, "end"])
    assert csv_cells(cells) + "end\r\n" == buffer.getvalue()


def test_people_export_holds_only_the_coachs_cities_and_is_safe(client, world):
    MembershipFactory(city=world.city, user__full_name="=cmd|' /C calc'!A0")
    client.force_login(world.users["coach"])
    rows = read_csv(client.get(reverse("cohorts:export_people", kwargs={"cohort_slug": world.cohort.slug})))
    assert rows[0][:2] == ["City", "Name"]
    assert {r[0] for r in rows[1:]} == {world.city.name}
    assert "'=cmd|' /C calc'!A0" in [r[1] for r in rows]
    with scopes_disabled():  # a cohort export is audited under no single city
        assert AuditEvent.objects.filter(action="export.people", actor=world.users["coach"]).exists()


def test_staff_cities_export_holds_every_city(client, world):
    client.force_login(world.users["staff"])
    rows = read_csv(client.get(reverse("cohorts:export_cities", kwargs={"cohort_slug": world.cohort.slug})))
    assert {r[0] for r in rows[1:]} == {world.city.name, world.other_city.name}


def test_cities_export_names_each_citys_mayor_team_size_and_coaches_and_a_coach_sees_their_own(client, world):
    url = reverse("cohorts:export_cities", kwargs={"cohort_slug": world.cohort.slug})
    client.force_login(world.users["staff"])
    with translation.override("en"):
        rows = {r[0]: r for r in read_csv(client.get(url))[1:]}
    alpha = rows[world.city.name]
    assert alpha[4:] == ["Active", world.users["mayor"].full_name, "1", world.users["coach"].full_name]
    client.force_login(world.users["coach"])
    assert [r[0] for r in read_csv(client.get(url))[1:]] == [world.city.name]


def test_the_cities_export_names_the_mayor_in_office_not_one_who_left(client, world):
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from cohorts.models import Membership

    with scopes_disabled():
        Membership.objects.filter(user=world.users["mayor"]).update(ended_at=timezone.now())
    client.force_login(world.users["staff"])
    rows = {r[0]: r for r in read_csv(client.get(reverse("cohorts:export_cities",
                                                         kwargs={"cohort_slug": world.cohort.slug})))[1:]}
    assert rows[world.city.name][5] == ""


def role_changed(city, actor):
    audit_record(city=city, actor=actor, action="team.role_changed",
                 data={"user": "rosa@example.org", "person_name": "Rosa", "role": "cdo", "title": "",
                       "before_role": "policy", "before_title": ""})


def mayor_missed(city, person_name, reason=""):
    audit_record(city=city, task="convening.enforce", action="convening.segment_missed", reason=reason,
                 data={"session": "s", "day": "Friday", "person": "m@example.org", "person_name": person_name,
                       "title": "Convening"})


ROLE_CHANGED = "Rosa: Chief policy staffer → Chief data officer"
MAYOR_MISSED = "Mayor Ana missed “Friday” of “Convening”"


def test_audit_trail_is_filterable_and_exports(client, world):
    with scope(city=world.city):
        role_changed(world.city, world.users["staff"])
        mayor_missed(world.city, "Ana", reason="No check-in")
        mayor_missed(world.other_city, "Other city mayor")
        client.force_login(world.users["staff"])
        url = reverse("city_audit", kwargs={"city_slug": world.city.slug})
        html = client.get(url, {"group": "convening"}).content.decode()
        assert MAYOR_MISSED in html and ROLE_CHANGED not in html and "Other city mayor" not in html
        response = client.get(url, {"group": "no-such-group", "since": "not-a-date"})
        assert response.status_code == 200
        assert "not understood" in response.content.decode()
        rows = read_csv(client.get(reverse("city_audit_csv", kwargs={"city_slug": world.city.slug}),
                                   {"group": "convening"}))
        assert [r[3] for r in rows[1:]] == [MAYOR_MISSED]
        assert rows[1][1] == "task: convening.enforce" and rows[1][4] == "No check-in"
        assert AuditEvent.objects.filter(city=world.city, action="export.audit_csv").exists()


def test_audit_page_queries_do_not_grow(client, world):
    from accelerator.tests.queries import assert_num_page_queries, count_queries

    client.force_login(world.users["staff"])
    url = reverse("city_audit", kwargs={"city_slug": world.city.slug})

    def grow():
        for _ in range(30):
            role_changed(world.city, world.users["staff"])

    grow()
    # The trail's count and latest event (the key its table is kept under), then the page's
    # events and their count in one query (CountingPaginator); the kept table reads neither.
    assert_num_page_queries(client, url, expected=5, grow=grow)
    assert count_queries(client, url) == 4


def test_attendance_ledger_export_is_scoped_safe_and_constant_in_queries(client, world):
    from accelerator.tests.queries import assert_num_page_queries
    from agenda.models import Attendance
    from agenda.tests.factories import SessionFactory, in_days

    def add_marks():
        session = SessionFactory(cohort=world.cohort, title="=SUM(A1:A9)", starts_at=in_days(-5))
        for city, person in [(world.city, world.users["member"]), (world.other_city, world.users["outsider"])]:
            Attendance.objects.create(session=session, city=city, person=person, status=Attendance.Status.PRESENT)

    add_marks()
    url = reverse("agenda:export_attendance", kwargs={"cohort_slug": world.cohort.slug})
    client.force_login(world.users["coach"])
    rows = read_csv(client.get(url))
    assert [r[0] for r in rows[1:]] == [world.city.name]
    assert rows[1][3] == "'=SUM(A1:A9)" and rows[1][8] == "Present"
    assert_num_page_queries(client, url, expected=9, grow=add_marks, times=3)  # cities, sessions, rows, people


def test_action_items_export_never_holds_private_notes(client, world):
    from coaching.tests.factories import ActionItemFactory, CheckInFactory

    checkin = CheckInFactory(city=world.city, coach=world.users["coach"], private_notes="PRIVATE-MARKER",
                             summary="Shared summary")
    ActionItemFactory(city=world.city, checkin=checkin, what="Publish the permit dashboard")
    other = CheckInFactory(city=world.other_city, coach=world.users["other_coach"])
    ActionItemFactory(city=world.other_city, checkin=other, what="Other city's item")
    client.force_login(world.users["coach"])
    response = client.get(reverse("coaching:export_action_items", kwargs={"cohort_slug": world.cohort.slug}))
    rows = read_csv(response)
    flat = "\n".join(",".join(r) for r in rows)
    assert "Publish the permit dashboard" in flat
    assert "PRIVATE-MARKER" not in flat and "Other city's item" not in flat


def test_strategy_actions_export_has_a_row_per_measure(client, world):
    from strategy.models import Action, Measure
    from strategy.tests.factories import build_plan

    build_plan(world.city, goals=1, actions=2, measures=2)
    build_plan(world.other_city, goals=1, actions=1, measures=1)
    client.force_login(world.users["staff"])
    rows = read_csv(client.get(reverse("strategy:export_actions", kwargs={"cohort_slug": world.cohort.slug})))
    by_city = [r[0] for r in rows[1:]]
    with scope(city=world.city):
        assert by_city.count(world.city.name) == Measure.objects.filter(city=world.city).count() > 0
    with scope(city=world.other_city):
        assert by_city.count(world.other_city.name) == Measure.objects.filter(city=world.other_city).count() > 0
    with scope(city=world.city):
        Action.objects.filter(city=world.city).first().measures.all().delete()
    rows = read_csv(client.get(reverse("strategy:export_actions", kwargs={"cohort_slug": world.cohort.slug})))
    # An action without measures still has its row.
    with scope(city=world.city):
        assert [r[0] for r in rows[1:]].count(world.city.name) == Measure.objects.filter(city=world.city).count() + 1
    client.force_login(world.users["mayor"])
    assert client.get(reverse("strategy:export_actions", kwargs={"cohort_slug": world.cohort.slug})).status_code == 404


@pytest.mark.parametrize("zone,query", [("Asia/Tokyo", {"since": "0001-01-01"}),
                                        ("America/New_York", {"until": "9999-12-31"})])
def test_audit_dates_at_the_calendars_edge_are_ignored_not_a_server_error(client, world, zone, query):
    role_changed(world.city, world.users["staff"])
    mayor_missed(world.other_city, "Other city mayor")
    staff = world.users["staff"]
    staff.time_zone = zone
    staff.save()
    client.force_login(staff)
    response = client.get(reverse("city_audit", kwargs={"city_slug": world.city.slug}), query)
    html = response.content.decode()
    assert response.status_code == 200 and "not understood" in html
    assert ROLE_CHANGED in html and "Other city mayor" not in html
    rows = read_csv(client.get(reverse("city_audit_csv", kwargs={"city_slug": world.city.slug}), query))
    assert ROLE_CHANGED in [r[3] for r in rows[1:]]


def test_attendance_ledger_export_is_exactly_this_file(client, world):
    import datetime

    from agenda.models import Attendance, Response, Session, SessionInvitation
    from agenda.tests.factories import SessionFactory

    at = datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC)
    member, mayor, staff = world.users["member"], world.users["mayor"], world.users["staff"]
    with scopes_disabled():  # the ledger spans both cities
        session = SessionFactory(cohort=world.cohort, title="=Budget", kind=Session.Kind.WORKSHOP, starts_at=at)
        Attendance.objects.create(session=session, city=world.city, person=member, status=Attendance.Status.PRESENT,
                                  source=Attendance.Source.MANUAL, marked_by=staff, note="+1 bus was late",
                                  marked_at=at + datetime.timedelta(minutes=7, seconds=45))
        SessionInvitation.objects.create(session=session, city=world.city, person=member, response=Response.YES)
        SessionInvitation.objects.create(session=session, city=world.city, person=mayor, response=Response.APOLOGY,
                                         reason="-Budget vote")
        SessionInvitation.objects.create(session=session, city=world.other_city, person=world.mayor_b)
    client.force_login(staff)
    with translation.override("en"):
        response = client.get(reverse("agenda:export_attendance", kwargs={"cohort_slug": world.cohort.slug}))
    expected = io.StringIO()
    csv.writer(expected).writerows([
        ["City", "Person", "Email", "Session", "Kind", "Starts (UTC)", "Segment", "Required", "Attendance",
         "Marked at (UTC)", "Source", "Operator", "Note", "Answer", "Reason given"],
        ["Alpha City", member.full_name, member.email, "'=Budget", "Workshop", "2026-03-02T15:00+00:00", "", "yes",
         "Present", "2026-03-02T15:07+00:00", "Marked by hand", "Program Staff", "'+1 bus was late",
         "Yes, I will attend", ""],
        ["Alpha City", mayor.full_name, mayor.email, "'=Budget", "Workshop", "2026-03-02T15:00+00:00", "", "yes",
         "", "", "", "", "", "Apology (with a reason)", "'-Budget vote"],
        ["Beta City", world.mayor_b.full_name, world.mayor_b.email, "'=Budget", "Workshop", "2026-03-02T15:00+00:00",
         "", "yes", "", "", "", "", "", "Not answered", ""],
    ])
    assert b"".join(response.streaming_content) == ("\ufeff" + expected.getvalue()).encode()


def test_attendance_ledger_orders_by_session_segment_city_and_name_marks_before_the_unmarked(client, world):
    import datetime

    from accelerator.tests.factories import UserFactory
    from agenda.models import Attendance, ConveningDay, Session, SessionInvitation
    from agenda.tests.factories import SessionFactory
    from cohorts.tests.factories import CityFactory, MembershipFactory

    at = datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC)
    hour = datetime.timedelta(hours=1)
    with scopes_disabled():
        # Made in the opposite order to the file's: ids never decide it.
        aardvark = CityFactory(name="Aardvark Town", cohort=world.cohort)
        zed, abel = (MembershipFactory(city=aardvark, user=UserFactory(full_name=name)).user
                     for name in ("Zed Last", "Abel First"))
        later = SessionFactory(cohort=world.cohort, title="Later", starts_at=at + 48 * hour)
        convening = SessionFactory(cohort=world.cohort, title="Convening", kind=Session.Kind.CONVENING, starts_at=at,
                                   ends_at=at + 30 * hour)
        friday = ConveningDay.objects.create(session=convening, label="Friday", starts_at=at + 24 * hour,
                                             ends_at=at + 30 * hour)
        thursday = ConveningDay.objects.create(session=convening, label="Thursday", starts_at=at, ends_at=at + hour)
        SessionFactory(cohort=world.cohort, title="Called off", starts_at=at, status=Session.Status.CANCELLED)
        for person in (zed, abel):
            SessionInvitation.objects.create(session=later, city=aardvark, person=person)
        SessionInvitation.objects.create(session=later, city=world.city, person=world.users["member"])
        for day in (None, friday, thursday):
            for city, person in ((world.city, world.users["member"]), (aardvark, zed), (aardvark, abel)):
                Attendance.objects.create(session=convening, day=day, city=city, person=person,
                                          status=Attendance.Status.PRESENT)
    client.force_login(world.users["staff"])
    rows = read_csv(client.get(reverse("agenda:export_attendance", kwargs={"cohort_slug": world.cohort.slug})))
    member = world.users["member"].full_name
    assert [(r[3], r[6], r[0], r[1], r[8]) for r in rows[1:]] == [
        ("Convening", "Thursday", "Aardvark Town", "Abel First", "Present"),
        ("Convening", "Thursday", "Aardvark Town", "Zed Last", "Present"),
        ("Convening", "Thursday", "Alpha City", member, "Present"),
        ("Convening", "Friday", "Aardvark Town", "Abel First", "Present"),
        ("Convening", "Friday", "Aardvark Town", "Zed Last", "Present"),
        ("Convening", "Friday", "Alpha City", member, "Present"),
        ("Convening", "", "Aardvark Town", "Abel First", "Present"),
        ("Convening", "", "Aardvark Town", "Zed Last", "Present"),
        ("Convening", "", "Alpha City", member, "Present"),
        ("Later", "", "Aardvark Town", "Abel First", ""),
        ("Later", "", "Aardvark Town", "Zed Last", ""),
        ("Later", "", "Alpha City", member, ""),
    ]


def test_cities_export_lists_every_coach_in_assignment_order_and_a_city_with_nobody(client, world):
    from accelerator.tests.factories import CoachFactory
    from cohorts.tests.factories import CityFactory, CoachAssignmentFactory

    with scopes_disabled():
        CoachAssignmentFactory(city=world.city, coach=CoachFactory(full_name="Aaron Second"))
        CityFactory(name="Empty City", slug="empty", cohort=world.cohort)
    client.force_login(world.users["staff"])
    with translation.override("en"):
        rows = {r[0]: r for r in read_csv(client.get(
            reverse("cohorts:export_cities", kwargs={"cohort_slug": world.cohort.slug})))[1:]}
    assert rows[world.city.name][-1] == f"{world.users['coach'].full_name}; Aaron Second"
    assert rows["Empty City"][5:] == ["", "0", ""]
    assert len(rows) == 3
