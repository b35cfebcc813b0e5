import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from icalendar import Calendar

from accelerator.tests.queries import assert_num_page_queries, count_queries
from agenda.models import Attendance, Response, Session
from agenda.services.calendar_feed import calendar_token_renew
from agenda.services.sessions import session_cancel
from agenda.tests.factories import coaching_session, create_session, in_days
from cohorts.tests.factories import CityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "kind": "workshop", "title": "Measuring what matters", "audience": "senior_teams",
        "time_zone": "America/Chicago",
        "starts_at": in_days(14).strftime("%Y-%m-%dT10:00"), "ends_at": in_days(14).strftime("%Y-%m-%dT12:00"),
        "learning_goal": "lead", "required": "on", "days-TOTAL_FORMS": "3", "days-INITIAL_FORMS": "0",
        "materials": "https://example.org/slides",
    }
    data.update(overrides)
    return data



def address(message):
    return message.to[0].rpartition("<")[2].rstrip(">")

def test_staff_create_a_workshop_and_every_team_member_is_invited(client, world):
    with scope(city=world.city):
        client.force_login(world.users["staff"])
        response = client.post(reverse("agenda:session_create", args=[world.cohort.slug]), form_data())
        session = Session.objects.get(title="Measuring what matters")
        assert response.status_code == 302 and response.url == session.get_absolute_url()
        # 10:00 typed in Chicago's zone.
        assert timezone.localtime(session.starts_at, session.zone).hour == 10
        with scope(city=[world.city, world.other_city]):  # a workshop for both cities' teams
            assert session.invitations.count() == 2


def test_a_session_nobody_can_be_invited_to_yet_says_why_and_what_happens_next(client, world):
    cohort = CityFactory().cohort  # a city whose people have not accepted their invitations yet
    client.force_login(world.users["staff"])
    response = client.post(reverse("agenda:session_create", args=[cohort.slug]), form_data(), follow=True)
    (message,) = [str(m) for m in response.context["messages"]]
    assert "nobody is invited yet" in message and "(Senior teams)" in message
    assert "as soon as they join their city's team" in message


@pytest.mark.parametrize("overrides,field,message", [
    ({"ends_at": in_days(13).strftime("%Y-%m-%dT10:00")}, "ends_at", "must end after it starts"),
    ({"time_zone": "Mars/Olympus"}, "time_zone", "not a time zone we know"),
    ({"starts_at": "next tuesday"}, "starts_at", "Enter a date and time"),
    ({"starts_at": "9999-12-31T20:00", "ends_at": "9999-12-31T23:00"}, "starts_at", "Enter a date and time"),
    ({"kind": "coaching"}, "city", "for one city"),
    ({"materials": "not a link"}, "materials", "not a web address"),
])
def test_bad_input_is_a_field_error_not_a_500(client, world, overrides, field, message):
    client.force_login(world.users["staff"])
    response = client.post(reverse("agenda:session_create", args=[world.cohort.slug]), form_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Session.objects.exists()


def test_a_segment_outside_the_session_is_shown_on_the_form(client, world):
    client.force_login(world.users["staff"])
    day = in_days(20).strftime("%Y-%m-%d")
    response = client.post(reverse("agenda:session_create", args=[world.cohort.slug]), form_data(
        kind="convening", audience="mayors", venue="Baltimore", **{
            "starts_at": f"{day}T18:00", "ends_at": f"{day}T21:00",
            "days-0-label": "Evening", "days-0-starts_at": f"{day}T17:00", "days-0-ends_at": f"{day}T21:00",
        }))
    assert response.status_code == 200
    assert "falls outside the session" in response.content.decode()


def test_rsvp_on_the_session_page(client, world):
    with scope(city=world.city):
        session = create_session(world)
        client.force_login(world.users["member"])
        url = session.get_absolute_url()
        response = client.post(url, {"response": "apology", "reason": ""})
        assert response.status_code == 200
        assert "Say briefly why" in " ".join(response.context["rsvp_form"].errors["reason"])
        response = client.post(url, {"response": "apology", "reason": "Council budget vote"})
        assert response.status_code == 302
        assert session.invitations.get(person=world.users["member"]).response == Response.APOLOGY
        # Staff see the answer.
        client.force_login(world.users["staff"])
        assert "Council budget vote" in client.get(url).content.decode()


def test_nudge_emails_those_who_have_not_answered(client, world, mailoutbox, django_capture_on_commit_callbacks):
    session = create_session(world)
    client.force_login(world.users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agenda:session_nudge", args=[session.code]))
    assert response.status_code == 302
    assert sorted(address(m) for m in mailoutbox) == sorted([world.users["member"].email,
                                                             world.users["outsider"].email])
    assert all(m.subject == "[Accelerator] Please answer: Data routines workshop" for m in mailoutbox)


def test_attendance_page_marks_in_bulk_and_shows_on_the_cohort_and_city_pages(client, world):
    with scope(city=world.city):
        session = create_session(world, days_ahead=-1)
        client.force_login(world.users["staff"])
        url = reverse("agenda:session_attendance", args=[session.code])
        page = client.get(url)
        form = page.context["form"]
        codes = {inv.person_id: inv.code for inv in form.invitations}
        response = client.post(url, {
            f"i-{codes[world.users['member'].pk]}": "present", f"i-{codes[world.users['outsider'].pk]}": "absent"})
        assert response.status_code == 302
        with scope(city=[world.city, world.other_city]):  # one mark in each city
            assert Attendance.objects.count() == 2
        cohort_page = client.get(reverse("dashboards:cohort", args=[world.cohort.slug])).content.decode()
        assert "50%" in cohort_page
        city_page = client.get(reverse("agenda:city_sessions", args=[world.city.slug])).content.decode()
        assert "100%" in city_page


def test_attendance_rejects_unknown_values(client, world):
    session = create_session(world, days_ahead=-1)
    client.force_login(world.users["staff"])
    url = reverse("agenda:session_attendance", args=[session.code])
    code = client.get(url).context["form"].invitations[0].code
    response = client.post(url, {f"i-{code}": "asleep"})
    assert response.status_code == 200 and not Attendance.objects.exists()


def test_session_ics_parses_back(client, world):
    session = create_session(world, kind="convening", venue="Baltimore Marriott", audience="mayors",
                             time_zone="America/New_York", days_ahead=20, hours=45)
    client.force_login(world.users["mayor"])
    response = client.get(reverse("agenda:session_ics", args=[session.code]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]).startswith(f"session-{session.code}@")
    assert event.decoded("dtstart") == session.starts_at and event.decoded("dtend") == session.ends_at
    assert str(event["LOCATION"]) == "Baltimore Marriott"
    assert event["SEQUENCE"] == 0 and str(event["STATUS"]) == "CONFIRMED"


def test_personal_feed_token_revoke_and_renew(client, world):
    member = world.users["member"]
    workshop = create_session(world)
    coaching = coaching_session(world)
    token = calendar_token_renew(user=member)
    feed = client.get(reverse("agenda:calendar_feed", args=[token]))
    assert feed.status_code == 200
    uids = {str(e["UID"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert {u.split("@")[0] for u in uids} == {f"session-{workshop.code}", f"session-{coaching.code}"}
    # The outsider's feed holds the workshop only.
    outsider_token = calendar_token_renew(user=world.users["outsider"])
    outsider_feed = Calendar.from_ical(client.get(reverse("agenda:calendar_feed", args=[outsider_token])).content)
    assert [str(e["SUMMARY"]) for e in outsider_feed.walk("VEVENT")] == [workshop.title]
    # Cancelling shows in the feed with a higher sequence and the same UID.
    session_cancel(session=workshop, actor=world.users["staff"])
    events = {str(e["UID"]): e for e in Calendar.from_ical(client.get(reverse("agenda:calendar_feed",
                                                                              args=[token])).content).walk("VEVENT")}
    cancelled = events[f"session-{workshop.code}@127.0.0.1"]
    raw = client.get(reverse("agenda:calendar_feed", args=[token])).content
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and b"VERSION:2.0\r\n" in raw and b"PRODID:" in raw
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # RFC 5545 folds long lines
    for event in events.values():
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS"):
            assert required in event
    assert str(cancelled["STATUS"]) == "CANCELLED" and cancelled["SEQUENCE"] == 1
    # Renew and revoke through the page; the old addresses stop working and say nothing.
    client.force_login(member)
    client.post(reverse("agenda:calendar_token"), {"action": "renew"})
    member.refresh_from_db()
    assert member.calendar_token != token
    assert client.get(reverse("agenda:calendar_feed", args=[token])).status_code == 404
    client.post(reverse("agenda:calendar_token"), {"action": "revoke"})
    member.refresh_from_db()
    assert member.calendar_token is None
    client.logout()
    for bad in ["nope", "x" * 80, token]:
        response = client.get(f"/calendar/{bad}.ics")
        assert response.status_code == 404
        assert response.content.count(b"BEGIN:VCALENDAR") == 0


def test_times_shown_in_the_viewers_zone_with_the_zone_named(client, world):
    member = world.users["member"]
    member.time_zone = "America/Bogota"
    member.save()
    start = datetime.datetime(2030, 3, 4, 15, 0, tzinfo=datetime.UTC)
    create_session(world, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    convening = create_session(world, kind="convening", venue="Baltimore", audience="everyone",
                               time_zone="America/New_York", starts_at=start,
                               ends_at=start + datetime.timedelta(hours=3))
    client.force_login(member)
    page = client.get(reverse("agenda:my_sessions")).content.decode()
    assert "10:00–12:00 (America/Bogota)" in page
    assert "10:00–13:00 (America/New_York)" in page  # the convening in its venue's zone
    assert convening.display_zone(None).key == "America/New_York"


def test_cohort_calendar_month_and_list_and_bad_month(client, world):
    create_session(world)
    start = datetime.datetime(2031, 6, 25, 21, 30, tzinfo=datetime.UTC)
    create_session(world, kind="convening", title="Mayors' convening", venue="Washington", audience="mayors",
                   starts_at=start, ends_at=start + datetime.timedelta(hours=42))
    client.force_login(world.users["coach"])
    url = reverse("agenda:sessions", args=[world.cohort.slug])
    for query in ["", "?view=list", "?month=2026-13", "?month=abc", f"?month={in_days(10):%Y-%m}",
                  "?month=9999-12", "?month=0001-01", "?month=10000-01"]:
        assert client.get(url + query).status_code == 200, query
    weeks = client.get(url + "?month=2031-06").context["weeks"]
    days_shown = [cell["date"].day for week in weeks for cell in week
                  if any(s.title == "Mayors' convening" for s in cell["sessions"]) and cell["in_month"]]
    assert days_shown == [25, 26, 27]  # Wednesday evening to Friday afternoon, Washington time


def _grow(world):
    counter = {"n": 0}

    def grow():
        counter["n"] += 1
        MembershipFactory(city=world.city)
        MembershipFactory(city=world.other_city)
        session = create_session(world, title=f"Grown {counter['n']}", days_ahead=counter["n"])
        create_session(world, title=f"Past {counter['n']}", days_ahead=-counter["n"], audience="everyone")
        coaching_session(world, days_ahead=counter["n"] + 1)
        return session
    return grow


@pytest.mark.parametrize("role,url,expected", [
    ("staff", lambda w, s: reverse("agenda:sessions", args=[w.cohort.slug]) + f"?month={in_days(1):%Y-%m}", 6),
    ("coach", lambda w, s: reverse("agenda:sessions", args=[w.cohort.slug]) + "?view=list", 7),
    ("staff", lambda w, s: s.get_absolute_url(), 9),  # 4 once its details and invitees are kept
    ("member", lambda w, s: s.get_absolute_url(), 5),
    ("member", lambda w, s: reverse("agenda:my_sessions"), 8),
    ("coach", lambda w, s: reverse("agenda:my_sessions"), 9),
    ("member", lambda w, s: reverse("agenda:city_sessions", args=[w.city.slug]), 7),  # 4 once its lists are kept
    ("staff", lambda w, s: reverse("dashboards:cohort", args=[w.cohort.slug]), 32),
    ("staff", lambda w, s: reverse("dashboards:city_home", args=[w.city.slug]), 12),  # 2: the set-up checklist
])
def test_pages_take_constant_queries(client, world, role, url, expected):
    session = create_session(world, days_ahead=1)
    grow = _grow(world)
    grow()
    client.force_login(world.users[role])

    def grow_uncached():  # pages keep their lists under their data's version: count the first view
        grow()
        cache.clear()

    cache.clear()
    assert_num_page_queries(client, url(world, session), expected=expected, grow=grow_uncached)


def test_a_session_page_seen_again_reads_no_invitees(client, world):
    session = create_session(world, days_ahead=1)
    client.force_login(world.users["staff"])
    cache.clear()
    assert count_queries(client, session.get_absolute_url()) == 9
    # The session with the viewer's invitation, and the version of the marks; the details (with
    # the days), the answer counts and the list of invitees are kept.
    assert count_queries(client, session.get_absolute_url()) == 4


def test_attendance_page_takes_constant_queries(client, world):
    session = create_session(world, days_ahead=-1, audience="everyone")
    client.force_login(world.users["staff"])
    url = reverse("agenda:session_attendance", args=[session.code])
    # The version of the invitations and marks, then (the rows not kept yet) the invitees.
    assert_num_page_queries(client, url, expected=7, grow=lambda: MembershipFactory(city=world.city) and cache.clear())
    assert count_queries(client, url) == 4  # seen again: the rows are kept


def test_feed_takes_constant_queries(client, world):
    token = calendar_token_renew(user=world.users["member"])
    create_session(world)
    # The token's owner, the version of their sessions, then (the body not cached yet) the
    # sessions and their days.
    assert_num_page_queries(client, reverse("agenda:calendar_feed", args=[token]), expected=4, grow=_grow(world))


def _post_data_from(form, formset):
    data = {}
    for bound in [*form, *formset.management_form, *(f for day in formset for f in day)]:
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, datetime.datetime):
            value = value.strftime("%Y-%m-%dT%H:%M")
        elif hasattr(value, "pk"):
            value = value.pk
        data[bound.html_name] = value
    return data


def test_editing_without_changes_keeps_the_sequence_and_moving_bumps_it(client, world, mailoutbox,
                                                                        django_capture_on_commit_callbacks):
    start = in_days(20, hour=21)
    session = create_session(
        world, kind="convening", venue="Washington", audience="mayors", time_zone="America/New_York",
        starts_at=start, ends_at=start + datetime.timedelta(hours=42),
        days=[{"label": "Wednesday evening", "starts_at": start, "ends_at": start + datetime.timedelta(hours=3)}])
    client.force_login(world.users["staff"])
    url = reverse("agenda:session_edit", args=[session.code])
    page = client.get(url)
    data = _post_data_from(page.context["form"], page.context["days_formset"])
    assert client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert (session.sequence, session.status, session.days.count()) == (0, "scheduled", 1)
    # Starting an hour earlier keeps the Wednesday segment inside the session.
    later = {**data, "starts_at": (timezone.localtime(session.starts_at, session.zone) - datetime.timedelta(hours=1))
             .strftime("%Y-%m-%dT%H:%M")}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, later).status_code == 302
    session.refresh_from_db()
    assert (session.sequence, session.status) == (1, "rescheduled")
    assert sorted(address(m) for m in mailoutbox) == sorted([world.users["mayor"].email, world.mayor_b.email])
    assert all(m.subject.startswith("[Accelerator] New time: ") for m in mailoutbox)


def test_a_second_nudge_or_a_redelivered_task_sends_nothing_twice(client, world, mailoutbox, outbox,
                                                                  django_capture_on_commit_callbacks):
    with scope(city=world.city):
        session = create_session(world)
        client.force_login(world.users["staff"])
        url = reverse("agenda:session_nudge", args=[session.code])
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url)
            client.post(url)  # a double click, or a colleague a minute later
        assert len(mailoutbox) == 2
    assert outbox.deliver() == []  # the sender delivered again: nothing left to send
    assert len(mailoutbox) == 2
