"""The calendar pages keep their rendered lists under the version of what they show: every change
to that data shows at once, and a long invitee list comes a page at a time."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from agenda.models import Attendance, Response, SessionInvitation
from agenda.selectors import session_invitees
from agenda.services.attendance import attendance_mark
from agenda.services.calendar_feed import calendar_token_renew
from agenda.services.session_invitations import invitation_respond
from agenda.services.sessions import session_update
from agenda.tests.factories import create_session
from cohorts.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _page(client, url):
    return client.get(url).content.decode()


def test_the_cohort_calendar_shows_a_new_answer_at_once(client, world):
    session = create_session(world)
    client.force_login(world.users["staff"])
    url = reverse("agenda:sessions", args=[world.cohort.slug]) + "?view=list"
    assert "0 of 2 yes, 2 not answered" in _page(client, url)
    assert "0 of 2 yes, 2 not answered" in _page(client, url)  # the cached list
    with scopes_disabled():
        invitation = SessionInvitation.objects.select_related("session").get(
            session=session, person=world.users["member"])
        invitation_respond(invitation=invitation, actor=world.users["member"], response=Response.YES)
    assert "1 of 2 yes, 1 not answered" in _page(client, url)


def test_the_cohort_calendar_shows_an_edited_title_at_once(client, world):
    session = create_session(world)
    client.force_login(world.users["coach"])
    url = reverse("agenda:sessions", args=[world.cohort.slug]) + "?view=list"
    assert "Data routines workshop" in _page(client, url)
    with scopes_disabled():
        session_update(session=session, actor=world.users["staff"], title="Measuring what matters")
    page = _page(client, url)
    assert "Measuring what matters" in page and "Data routines workshop" not in page


def test_the_cohort_calendars_city_filter_follows_the_cities_and_the_filters_asked_for(client, world):
    from cohorts.tests.factories import CityFactory

    create_session(world)
    client.force_login(world.users["staff"])
    url = reverse("agenda:sessions", args=[world.cohort.slug])
    assert "Gamma Town" not in _page(client, url)
    with scopes_disabled():
        gamma = CityFactory(name="Gamma Town", slug="gamma", cohort=world.cohort)
    assert 'value="gamma">Gamma Town<' in _page(client, url)  # a new city is offered at once
    with scopes_disabled():
        gamma.name = "Gamma City"
        gamma.save()
    assert 'value="gamma">Gamma City<' in _page(client, url)  # and a renamed one
    assert 'value="gamma" selected>' in _page(client, url + "?city=gamma")  # the filter asked for
    assert "There is no city “atlantis”" in _page(client, url + "?city=atlantis")
    # A coach's filter offers the cities they coach; a city assigned to them shows at once.
    client.force_login(world.users["coach"])
    assert "Gamma City" not in _page(client, url)
    with scopes_disabled():
        from cohorts.tests.factories import CoachAssignmentFactory

        CoachAssignmentFactory(city=gamma, coach=world.users["coach"])
    assert 'value="gamma">Gamma City<' in _page(client, url)


def test_my_sessions_shows_a_new_mark_and_a_lost_city_at_once(client, world):
    session = create_session(world, days_ahead=-1)
    member = world.users["member"]
    client.force_login(member)
    url = reverse("agenda:my_sessions")
    assert "Present" not in _page(client, url)
    with scopes_disabled():
        invitation = SessionInvitation.objects.get(session=session, person=member)
        attendance_mark(session=session, actor=world.users["staff"], marks={invitation: "present"})
    assert "Attendance: Present" in _page(client, url)
    # Leaving the team closes the city's sessions: the cached list is not shown any more.
    with scopes_disabled():
        member.memberships.update(ended_at=session.ends_at)
    assert "Data routines workshop" not in _page(client, url)


def test_the_city_sessions_page_shows_a_new_mark_at_once(client, world):
    session = create_session(world, days_ahead=-1)
    client.force_login(world.users["staff"])
    url = reverse("agenda:city_sessions", args=[world.city.slug])
    assert "100%" not in _page(client, url)
    with scopes_disabled():
        invitation = SessionInvitation.objects.get(session=session, person=world.users["member"])
        attendance_mark(session=session, actor=world.users["staff"], marks={invitation: "present"})
    assert "100%" in _page(client, url)


def test_the_feed_follows_an_edited_session_and_a_new_one(client, world):
    session = create_session(world)
    token = calendar_token_renew(user=world.users["member"])
    url = reverse("agenda:calendar_feed", args=[token])
    assert b"Data routines workshop" in client.get(url).content
    with scopes_disabled():
        session_update(session=session, actor=world.users["staff"], title="Measuring what matters")
    feed = client.get(url).content
    assert b"Measuring what matters" in feed and b"Data routines workshop" not in feed
    create_session(world, title="Second workshop")
    assert b"Second workshop" in client.get(url).content


def test_invitees_come_a_page_at_a_time_with_the_counts_and_a_city_filter(world):
    session = create_session(world, audience="everyone")
    with scopes_disabled():
        for _ in range(3):
            MembershipFactory(city=world.city)
        from agenda.services.session_invitations import invitations_sync
        invitations_sync(session_ids=[session.pk])
    with scope(city=[world.city, world.other_city]):
        first = session_invitees(session, per_page=4)
        assert first.summary["total"] == 7 and first.summary["pending"] == 7
        assert [(c.slug, c.count) for c in first.cities] == [("alpha", 5), ("beta", 2)]
        assert len(first.rows) == 4 and first.page.paginator.num_pages == 2
        second = session_invitees(session, per_page=4, page=2)
        assert {i.pk for i in first.rows}.isdisjoint(i.pk for i in second.rows) and len(second.rows) == 3
        beta = session_invitees(session, city="beta", per_page=4)
        assert beta.city.slug == "beta" and {i.city_id for i in beta.rows} == {world.other_city.pk}
        unknown = session_invitees(session, city="nowhere", per_page=4)
        assert unknown.city is None and len(unknown.rows) == 4


def test_a_page_of_attendance_marks_the_rows_left_blank_and_keeps_the_other_pages(client, world):
    session = create_session(world, days_ahead=-1, audience="everyone")
    client.force_login(world.users["staff"])
    url = reverse("agenda:session_attendance", args=[session.code])
    with scopes_disabled():
        mayor_b = SessionInvitation.objects.get(session=session, person=world.mayor_b)
        attendance_mark(session=session, actor=world.users["staff"], marks={mayor_b: "excused"})
    page = client.get(url + "?city=alpha")
    assert [c.slug for c in page.context["invitees"].cities] == ["alpha", "beta"]
    rows = page.context["form"].invitations
    assert {i.city_id for i in rows} == {world.city.pk}
    member = next(i for i in rows if i.person_id == world.users["member"].pk)
    response = client.post(url + "?city=alpha", {f"i-{member.code}": "late", "bulk": "present"})
    assert response.status_code == 302 and response.url == url + "?city=alpha"
    with scopes_disabled():
        marks = dict(Attendance.objects.filter(session=session).values_list("person_id", "status"))
    assert marks == {world.users["member"].pk: "late", world.users["mayor"].pk: "present",
                     world.mayor_b.pk: "excused"}  # Beta's page was not touched


def test_the_session_page_shows_a_new_answer_and_a_new_mark_at_once(client, world):
    session = create_session(world, days_ahead=-1)
    client.force_login(world.users["staff"])
    url = session.get_absolute_url()
    assert "Present" not in _page(client, url)
    with scopes_disabled():
        invitation = SessionInvitation.objects.get(session=session, person=world.users["member"])
        attendance_mark(session=session, actor=world.users["staff"], marks={invitation: "present"})
    assert "Present" in _page(client, url)
    upcoming = create_session(world, title="Next workshop")
    url = upcoming.get_absolute_url()
    page = _page(client, url)
    assert "Yes, I will attend" not in page and "0 yes" in page  # the counts are kept with the list
    with scopes_disabled():
        invitation = SessionInvitation.objects.select_related("session").get(
            session=upcoming, person=world.users["member"])
        invitation_respond(invitation=invitation, actor=world.users["member"], response=Response.YES)
    page = _page(client, url)
    assert "Yes, I will attend" in page and "1 yes" in page


def test_the_attendance_page_shows_a_new_mark_at_once_and_a_refused_form_as_sent(client, world):
    session = create_session(world, days_ahead=-1)
    client.force_login(world.users["staff"])
    url = reverse("agenda:session_attendance", args=[session.code])
    assert "Marked by hand" not in _page(client, url)
    with scopes_disabled():
        invitation = SessionInvitation.objects.get(session=session, person=world.users["member"])
        attendance_mark(session=session, actor=world.users["staff"], marks={invitation: "late"})
    page = _page(client, url)
    assert "Marked by hand" in page and '<option value="late" selected>' in page
    refused = client.post(url, {f"i-{invitation.code}": "asleep"})
    assert refused.status_code == 200 and "is-invalid" in refused.content.decode()


def test_the_session_page_shows_an_edit_and_new_days_at_once(client, world):
    import datetime

    session = create_session(world, days_ahead=5)
    client.force_login(world.users["member"])  # invited: the audience is the senior teams
    url = session.get_absolute_url()
    page = _page(client, url)
    assert "Bring the monthly numbers" not in page and "Room 4" not in page
    with scopes_disabled():
        session_update(session=session, actor=world.users["staff"], description="Bring the monthly numbers",
                       venue="Room 4")
    page = _page(client, url)
    assert "Bring the monthly numbers" in page and "Room 4" in page and "Second morning" not in page
    half = session.starts_at + datetime.timedelta(hours=1)  # the session lasts two hours
    with scopes_disabled():
        session_update(session=session, actor=world.users["staff"], days=[
            {"label": "First morning", "starts_at": session.starts_at, "ends_at": half},
            {"label": "Second morning", "starts_at": half, "ends_at": session.ends_at},
        ])
    assert "Second morning" in _page(client, url)


def test_my_sessions_of_a_member_follow_their_answer_an_edit_and_a_new_session(client, world):
    session = create_session(world, days_ahead=2)
    member = world.users["member"]
    client.force_login(member)
    url = reverse("agenda:my_sessions")
    assert "Data routines workshop" in _page(client, url)
    with scopes_disabled():
        invitation = SessionInvitation.objects.select_related("session").get(session=session, person=member)
        invitation_respond(invitation=invitation, actor=member, response=Response.YES)
    assert "Your answer: <strong>Yes, I will attend</strong>" in _page(client, url)
    with scopes_disabled():
        session_update(session=session, actor=world.users["staff"], title="Measuring what matters")
    page = _page(client, url)
    assert "Measuring what matters" in page and "Data routines workshop" not in page
    create_session(world, title="Budget clinic", days_ahead=3)
    assert "Budget clinic" in _page(client, url)


def test_the_city_sessions_page_shows_an_edited_session_and_a_new_member_at_once(client, world):
    session = create_session(world, days_ahead=2)
    client.force_login(world.users["staff"])
    url = reverse("agenda:city_sessions", args=[world.city.slug])
    assert "Data routines workshop" in _page(client, url)
    with scopes_disabled():
        session_update(session=session, actor=world.users["staff"], title="Measuring what matters")
        MembershipFactory(city=world.city, user__full_name="Newly Joined")
    page = _page(client, url)
    assert "Measuring what matters" in page and "Newly Joined" in page


def test_each_members_answer_card_carries_their_own_token_and_shows_their_answer(world):
    """The answer's card is rendered once per what it shows and reused: two members with the same
    answer share it, each with their own CSRF token, and an answer sent from it is saved and shown."""
    import re

    from django.test import Client

    from cohorts.models import Role

    with scopes_disabled():
        colleague = MembershipFactory(city=world.city, role=Role.POLICY).user
    session = create_session(world, title="Data walk")
    url = session.get_absolute_url()
    pattern = r'<form method="post" novalidate><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">'
    tokens = {}
    for role, person in (("member", world.users["member"]), ("colleague", colleague)):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(person)
        page = _page(browser, url)
        assert "csrf-token" not in page and "Save my answer" in page
        tokens[role] = (browser, re.search(pattern, page).group(1))
    browser, token = tokens["colleague"]
    response = browser.post(url, {"csrfmiddlewaretoken": token, "response": Response.YES, "reason": ""})
    assert response.status_code == 302
    assert "Yes, I will attend" in _page(browser, url).split("Now:")[1].split("</p>")[0]
    assert "Yes, I will attend" not in _page(tokens["member"][0], url).split("Now:")[1].split("</p>")[0]
