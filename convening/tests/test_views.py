import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accelerator.models import AuditEvent
from accelerator.tests.queries import assert_num_page_queries
from agenda.models import Attendance, SessionInvitation
from agenda.tests.factories import SessionFactory
from cohorts.models import City, Membership
from cohorts.tests.factories import CityFactory, MayorFactory
from convening.models import CheckInCode, EligibilityReview, SurrogateAttempt
from convening.services.codes import checkin_codes_issue
from convening.services.enforcement import convening_enforce

from .factories import after, make_convening

pytestmark = pytest.mark.django_db


def desk_url(session):
    return reverse("convening:desk", kwargs={"code": session.code})


def test_desk_shows_segment_and_counts(staff_client, world, live):
    response = staff_client.get(desk_url(live))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Open now" in html and "Wednesday evening" in html and "0 mayors in" in html and "2 missing" in html


def test_non_convening_session_is_404(staff_client, world):
    workshop = SessionFactory(cohort=world.cohort)
    assert staff_client.get(desk_url(workshop)).status_code == 404
    assert staff_client.get(reverse("convening:board", kwargs={"code": workshop.code})).status_code == 404


def test_check_in_by_code_then_already(staff_client, world, live):
    with scopes_disabled():  # the codes page: a staff request, run with scopes disabled
        checkin_codes_issue(session=live, actor=world.users["staff"])
    with scopes_disabled():  # reads both cities' rows: the mayor's one active code
        code = CheckInCode.objects.get(person=world.users["mayor"]).code
    # Requests run outside any wrap: the middleware opens the staff request's own.
    data = {"action": "code", "code-code": code, "code-identity_confirmed": "on"}
    response = staff_client.post(desk_url(live), data, follow=True)
    assert "mayor of Alpha City, is checked in" in response.content.decode()
    response = staff_client.post(desk_url(live), data, follow=True)
    assert "Already checked in" in response.content.decode()
    with scopes_disabled():  # reads both cities' rows
        assert Attendance.objects.filter(person=world.users["mayor"]).count() == 1
    assert "1 mayor in" in response.content.decode()


def test_code_without_identity_check_is_a_form_error(staff_client, world, live):
    response = staff_client.post(desk_url(live), {"action": "code", "code-code": "ABC-DEF"})
    assert response.status_code == 200
    assert "tick the box" in response.content.decode()


def test_bad_code_gives_a_message_not_an_error_page(staff_client, world, live):
    response = staff_client.post(desk_url(live), {"action": "code", "code-code": "!!", "code-identity_confirmed": "on"},
                                 follow=True)
    assert response.status_code == 200 and "There is no check-in code" in response.content.decode()


def test_search_and_check_in_by_name(staff_client, world, live):
    # Requests run outside any wrap: the middleware opens the staff request's own.
    response = staff_client.get(desk_url(live), {"q": "alpha"})
    html = response.content.decode()
    with scope(city=world.city):
        mayor = Membership.objects.get(user=world.users["mayor"])
    assert mayor.code in html and world.users["member"].full_name in html
    assert "Beta City" not in html.split("desk-results")[1].split("</div>")[0]
    response = staff_client.post(desk_url(live), {"action": "person", "person": mayor.code,
                                                  "identity_confirmed": "on",
                                                  "q": "alpha"}, follow=True)
    assert response.redirect_chain[-1][0].endswith("?q=alpha")
    with scopes_disabled():  # reads both cities' rows
        assert Attendance.objects.filter(person=world.users["mayor"], status="present").exists()


def test_team_member_presenting_for_the_mayor_is_refused(staff_client, world, live):
    with scope(city=world.city):
        member = Membership.objects.get(user=world.users["member"])
    # Requests run outside any wrap: the middleware opens the staff request's own.
    response = staff_client.post(desk_url(live), {"action": "surrogate", "stand-person": member.code,
                                                  "stand-reason": "team_member"}, follow=True)
    assert "Recorded as a surrogate attempt" in response.content.decode()
    with scopes_disabled():  # reads both cities' rows
        attempt = SurrogateAttempt.objects.get()
        assert attempt.presented_person == world.users["member"] and attempt.city == world.city
    board = staff_client.get(reverse("convening:board", kwargs={"code": live.code})).content.decode()
    assert "1 refused" in board and world.users["member"].full_name in board


def test_stand_in_form_needs_a_city(staff_client, world, live):
    response = staff_client.post(desk_url(live), {"action": "surrogate", "stand-reason": "deputy",
                                                  "stand-presented_name": "Deputy"})
    assert response.status_code == 200 and "Choose the city" in response.content.decode()
    assert not SurrogateAttempt.objects.exists()


def test_person_from_another_cohort_cannot_be_posted(staff_client, world, live):
    elsewhere = MayorFactory(city=CityFactory())
    response = staff_client.post(desk_url(live), {"action": "person", "person": elsewhere.code,
                                                  "identity_confirmed": "on"}, follow=True)
    assert "not part of this convening" in response.content.decode()


def test_desk_name_is_remembered(staff_client, world, live):
    # Requests run outside any wrap: the middleware opens the staff request's own.
    staff_client.post(desk_url(live), {"action": "desk", "desk-desk": "Lobby east"})
    with scope(city=world.city):
        mayor = Membership.objects.get(user=world.users["mayor"])
    staff_client.post(desk_url(live), {"action": "person", "person": mayor.code, "identity_confirmed": "on"})
    with scopes_disabled():  # reads both cities' rows
        assert "Lobby east" in AuditEvent.objects.get(action="convening.checked_in").text


def test_codes_page_issues_and_reissues(staff_client, world, live, django_capture_on_commit_callbacks, mailoutbox):
    url = reverse("convening:codes", kwargs={"code": live.code})
    # Requests run outside any wrap: the middleware opens the staff request's own.
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"action": "issue_all"})
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.users["mayor"].email, world.mayor_b.email])
    with scopes_disabled():  # reads both cities' rows
        assert CheckInCode.objects.count() == 2
    with scope(city=world.city):
        mayor = Membership.objects.get(user=world.users["mayor"])
    with scopes_disabled():  # reads both cities' rows
        old = CheckInCode.objects.get(person=mayor.user).code
    staff_client.post(url, {"action": "reissue", "person": mayor.code})
    with scopes_disabled():  # reads both cities' rows
        assert CheckInCode.objects.get(person=mayor.user, revoked_at__isnull=True).code != old
    assert "1 replaced" in staff_client.get(url).content.decode()


def test_override_page_requires_a_reason(staff_client, world):
    session = make_convening(world.cohort, start=timezone.now() - datetime.timedelta(days=5))
    convening_enforce(now=after(session))  # outside any scope: the enforcement opens its own
    url = reverse("convening:eligibility", kwargs={"code": session.code, "city_slug": world.city.slug})
    # Requests run outside any wrap: the middleware opens the city page's own scope.
    page = staff_client.get(url).content.decode()
    assert "Not eligible — pending review" in page
    response = staff_client.post(url, {"state": "eligible", "reason": ""})
    assert response.status_code == 200 and "Write the reason" in response.content.decode()
    staff_client.post(url, {"state": "eligible", "reason": "Mayor attended Friday by arrangement with staff."})
    with scope(city=world.city):
        assert EligibilityReview.objects.get(city=world.city).state == "eligible"
    world.city.refresh_from_db()
    assert world.city.status == City.Status.ACTIVE


def test_city_home_shows_status_and_the_mayors_own_code(client, world, live):
    with scopes_disabled():  # the codes page: a staff request, run with scopes disabled
        checkin_codes_issue(session=live, actor=world.users["staff"])
    with scope(city=world.city):
        code = CheckInCode.objects.get(person=world.users["mayor"]).code
    # Requests run outside any wrap: the middleware opens the city page's own scope.
    client.force_login(world.users["mayor"])
    html = client.get(reverse("dashboards:city_home", kwargs={"city_slug": "alpha"})).content.decode()
    assert code in html and "<svg" in html and "no surrogates" in html
    client.force_login(world.users["member"])
    html = client.get(reverse("dashboards:city_home", kwargs={"city_slug": "alpha"})).content.decode()
    assert code not in html
    assert "convening-heading" in html


def test_city_home_after_review_explains_what_it_means(client, world):
    session = make_convening(world.cohort, start=timezone.now() - datetime.timedelta(days=5))
    convening_enforce(now=after(session))
    client.force_login(world.users["member"])
    html = client.get(reverse("dashboards:city_home", kwargs={"city_slug": "alpha"})).content.decode()
    assert "Not eligible — pending review" in html
    assert "Beta City" not in html  # the other city's state never shows


def test_cohort_page_shows_eligibility_per_city(staff_client, world):
    session = make_convening(world.cohort, start=timezone.now() - datetime.timedelta(days=5))
    convening_enforce(now=after(session))
    html = staff_client.get(reverse("dashboards:cohort", kwargs={"cohort_slug": world.cohort.slug})).content.decode()
    assert "Eligibility after" in html and html.count("Not eligible — pending review") >= 2


def _grow(world, session):
    @scopes_disabled()  # set-up: a new city's rows, written beside the others
    def grow():
        city = CityFactory(cohort=world.cohort)
        mayor = MayorFactory(city=city)
        SessionInvitation.objects.get_or_create(session=session, person=mayor.user, defaults={"city": city})
        for day in session.test_days[:1]:
            Attendance.objects.create(session=session, day=day, city=city, person=mayor.user, status="present",
                                      marked_by=world.users["staff"])
        SurrogateAttempt.objects.create(session=session, city=city, presented_name="Someone", reason="deputy",
                                        recorded_by=world.users["staff"])
        EligibilityReview.objects.create(session=session, city=city, missed=["Friday"])
    return grow


def test_desk_and_board_queries_are_constant(staff_client, world, live):
    # Requests run outside any wrap: the middleware opens the staff request's own.
    grow = _grow(world, live)
    assert_num_page_queries(staff_client, desk_url(live) + "?q=city", expected=8, grow=grow)
    assert_num_page_queries(staff_client, reverse("convening:board", kwargs={"code": live.code}), expected=7,
                            grow=grow)
    assert_num_page_queries(staff_client, reverse("convening:codes", kwargs={"code": live.code}), expected=5,
                            grow=grow)


def test_cohort_page_queries_stay_constant_with_eligibility(staff_client, world, live):
    # Requests run outside any wrap: the middleware opens the staff request's own.
    url = reverse("dashboards:cohort", kwargs={"cohort_slug": world.cohort.slug})
    # Each new city has no stored row yet: the page computes them, in one batch whatever their number.
    assert_num_page_queries(staff_client, url, expected=38, grow=_grow(world, live))


def test_practice_convening_does_not_stand_for_the_real_one(staff_client, world):
    real = make_convening(world.cohort, start=timezone.now() - datetime.timedelta(days=5))
    convening_enforce(now=after(real))
    practice = make_convening(world.cohort, title="Practice run", start=timezone.now() - datetime.timedelta(days=1))
    practice.required = False
    practice.save()
    html = staff_client.get(reverse("dashboards:cohort", kwargs={"cohort_slug": world.cohort.slug})).content.decode()
    assert "Eligibility after Mayors" in html and "Eligibility after Practice run" not in html
    home = staff_client.get(reverse("dashboards:city_home", kwargs={"city_slug": "alpha"})).content.decode()
    assert "Practice run" in home and "do not affect the city" in home  # the one under way, with its code


def test_eligibility_page_of_a_city_from_another_cohort_is_404(staff_client, world, live):
    elsewhere = CityFactory()
    url = reverse("convening:eligibility", kwargs={"code": live.code, "city_slug": elsewhere.slug})
    assert staff_client.get(url).status_code == 404
    assert staff_client.post(url, {"state": "eligible", "reason": "x" * 20}).status_code == 404


@pytest.mark.parametrize("data", [
    {},
    {"action": "nonsense"},
    {"action": "code"},
    {"action": "code", "code-code": "x" * 200, "code-identity_confirmed": "on"},
    {"action": "code", "code-code": "ΩΩΩ-ΩΩΩ", "code-identity_confirmed": "on"},
    {"action": "person", "person": "no-such-person", "identity_confirmed": "on"},
    {"action": "person"},
    {"action": "surrogate", "stand-person": "no-such-person", "stand-reason": "team_member"},
    {"action": "surrogate", "stand-city": "999999", "stand-reason": "deputy", "stand-presented_name": "X"},
    {"action": "surrogate", "stand-reason": "not-a-reason"},
    {"action": "desk", "desk-desk": ""},
])
def test_bad_input_at_the_desk_never_gives_an_error_page(staff_client, world, live, data):
    response = staff_client.post(desk_url(live), data, follow=True)
    assert response.status_code == 200
    assert not Attendance.objects.exists() and not SurrogateAttempt.objects.exists()


def test_cancelled_convening_desk_says_so(staff_client, world, live):
    live.status = "cancelled"
    live.save()
    with scope(city=world.city):
        mayor = Membership.objects.get(user=world.users["mayor"])
    # The request runs outside any wrap: the middleware opens the staff request's own.
    response = staff_client.post(desk_url(live), {"action": "person", "person": mayor.code,
                                                  "identity_confirmed": "on"},
                                 follow=True)
    assert "was cancelled" in response.content.decode()


def test_desk_lists_mayors_a_page_at_a_time_missing_first(staff_client, world, live, monkeypatch):
    monkeypatch.setattr("convening.views.DESK_PAGE_SIZE", 1)
    with scope(city=world.other_city):
        mayor_b = Membership.objects.get(user=world.mayor_b)
    staff_client.post(desk_url(live), {"action": "person", "person": mayor_b.code, "identity_confirmed": "on"})
    staff_client.get(desk_url(live))  # shows the check-in's message, which names her
    first = staff_client.get(desk_url(live)).content.decode()
    # The counts stay whole; the list shows the one still missing first, and links to the rest.
    assert "1 mayor in" in first and "1 missing" in first and "Showing 1 of 2 cities." in first
    assert world.users["mayor"].full_name in first and world.mayor_b.full_name not in first
    assert 'href="?page=2"' in first and 'aria-current="page"' in first
    second = staff_client.get(desk_url(live) + "?page=2").content.decode()
    assert world.mayor_b.full_name in second and world.users["mayor"].full_name not in second


@pytest.mark.parametrize(("typed", "expected"), [("beta city", "Beta City"), ("Bet", "Beta City")])
def test_stand_in_form_takes_the_city_by_name(staff_client, world, live, typed, expected):
    response = staff_client.post(desk_url(live), {"action": "surrogate", "stand-reason": "deputy",
                                                  "stand-presented_name": "Deputy", "stand-city": typed}, follow=True)
    assert "Recorded as a surrogate attempt" in response.content.decode()
    with scopes_disabled():  # reads both cities' rows
        assert SurrogateAttempt.objects.get().city.name == expected


@pytest.mark.parametrize(("typed", "message"), [("City", "Several cities match"), ("Gamma", "No city of this")])
def test_stand_in_form_says_when_the_name_matches_no_city_or_several(staff_client, world, live, typed, message):
    response = staff_client.post(desk_url(live), {"action": "surrogate", "stand-reason": "deputy",
                                                  "stand-presented_name": "Deputy", "stand-city": typed})
    assert response.status_code == 200 and message in response.content.decode()
    assert not SurrogateAttempt.objects.exists()


def test_board_and_codes_show_a_page_of_cities_and_link_the_rest(staff_client, world, live, monkeypatch):
    monkeypatch.setattr("convening.views.BOARD_PAGE_SIZE", 1)
    monkeypatch.setattr("convening.views.CODES_PAGE_SIZE", 1)
    with scopes_disabled():  # the codes page's action: a staff request, run with scopes disabled
        checkin_codes_issue(session=live, actor=world.users["staff"])
    for name in ("convening:board", "convening:codes"):
        url = reverse(name, kwargs={"code": live.code})
        first, second = (staff_client.get(url + query).content.decode() for query in ("", "?page=2"))
        assert "Showing 1 of 2 cities." in first and "Alpha City" in first and "Beta City" not in first
        assert 'href="?page=2"' in first
        assert "Beta City" in second and "Alpha City" not in second


def test_board_pages_the_refused_stand_ins_the_latest_first(staff_client, world, live, monkeypatch):
    monkeypatch.setattr("convening.views.BOARD_PAGE_SIZE", 1)
    for name in ("First Deputy", "Second Deputy"):
        staff_client.post(desk_url(live), {"action": "surrogate", "stand-reason": "deputy",
                                           "stand-presented_name": name, "stand-city": "Alpha City"})
    url = reverse("convening:board", kwargs={"code": live.code})
    staff_client.get(desk_url(live))  # shows the desk's messages, which name both
    first = staff_client.get(url).content.decode()
    assert "Second Deputy" in first and "First Deputy" not in first and 'href="?attempts_page=2"' in first
    assert "2 refused" in first
    assert "First Deputy" in staff_client.get(url + "?attempts_page=2").content.decode()
