"""Session lists read at a glance: each entry's kind as a label, its city, a link only to what the
viewer may open, today marked, the cohort calendar's filters, and "my sessions" in three groups."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from agenda import selectors
from agenda.models import Session
from agenda.tests.factories import SessionFactory, create_session, in_days
from cohorts.models import Cohort
from cohorts.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


def coaching_session(world, city=None, title="Coaching check-in", **fields):
    return create_session(world, kind=Session.Kind.COACHING, title=title, city=city or world.city,
                          audience=Session.Audience.CITY, **fields)


def _link(session):
    return f'href="{session.get_absolute_url()}"'


def test_a_citys_lists_link_exactly_the_sessions_the_viewer_may_open(client, world):
    workshop = create_session(world, title="Team workshop")  # senior teams: the mayor is not invited
    mayors = create_session(world, title="Mayors roundtable", kind="keynote", audience="mayors")
    for role, opens, closed in [("mayor", mayors, workshop), ("member", workshop, mayors)]:
        client.force_login(world.users[role])
        for url in (reverse("agenda:city_sessions", args=["alpha"]), reverse("dashboards:city_home", args=["alpha"])):
            page = client.get(url).content.decode()
            assert _link(opens) in page, (role, url)
            assert closed.title in page and _link(closed) not in page, (role, url)
            assert "you are not invited" in page
            assert client.get(opens.get_absolute_url()).status_code == 200
            assert client.get(closed.get_absolute_url()).status_code == 404
    client.force_login(world.users["staff"])
    page = client.get(reverse("agenda:city_sessions", args=["alpha"])).content.decode()
    assert _link(workshop) in page and _link(mayors) in page and "you are not invited" not in page


def test_can_open_is_the_visibility_rule_itself(world):
    create_session(world, title="Team workshop")
    create_session(world, title="Mayors roundtable", kind="keynote", audience="mayors")
    coaching_session(world)
    coaching_session(world, city=world.other_city, title="Beta check-in")
    with scopes_disabled():  # compares every session, both cities' included
        for user in world.users.values():
            if user is None:
                continue
            visible = set(Session.objects.visible_to(user).values_list("pk", flat=True))
            flags = dict(Session.objects.with_can_open(user).values_list("pk", "can_open"))
            assert {pk for pk, can in flags.items() if can} == visible
    with scope(city=world.city):
        upcoming, _past = selectors.city_sessions(world.city, world.users["mayor"])
        assert {s.title: s.can_open for s in upcoming} == {
            "Team workshop": False, "Mayors roundtable": True, "Coaching check-in": True}


def test_the_calendar_names_each_entrys_city_and_kind_and_marks_today(client, world):
    now = timezone.now()  # running now, so today in any viewer's zone
    for city in (world.city, world.other_city):
        coaching_session(world, city, "Coaching check-in 2", starts_at=now - datetime.timedelta(minutes=30),
                         ends_at=now + datetime.timedelta(minutes=30))
    client.force_login(world.users["staff"])
    url = reverse("agenda:sessions", args=[world.cohort.slug])
    month = client.get(url).content.decode()
    assert "Coaching check-in 2 — Alpha City" in month and "Coaching check-in 2 — Beta City" in month
    assert 'class="session-kind session-kind-coaching">Coaching session<' in month  # colour and its text
    assert month.count('aria-current="date"') == 1 and ">Today<" in month
    listing = client.get(url + "?view=list").content.decode()
    assert "Coaching check-in 2 — Beta City" in listing
    assert listing.count('aria-current="date"') == 2  # both of today's sessions


def test_the_calendar_filters_by_kind_city_and_learning_goal(client, world):
    create_session(world, title="Lead workshop", learning_goal="lead")
    create_session(world, title="Invest keynote", kind="keynote", audience="everyone", learning_goal="invest")
    coaching_session(world, title="Alpha check-in")
    coaching_session(world, city=world.other_city, title="Beta check-in")
    client.force_login(world.users["staff"])
    url = reverse("agenda:sessions", args=[world.cohort.slug]) + "?view=list"

    def titles(query):
        return {s.title for s in client.get(url + query).context["sessions"]}

    assert titles("") == {"Lead workshop", "Invest keynote", "Alpha check-in", "Beta check-in"}
    assert titles("&kind=coaching") == {"Alpha check-in", "Beta check-in"}
    assert titles("&city=beta") == {"Beta check-in"}
    assert titles("&goal=invest") == {"Invest keynote"}
    assert titles("&kind=coaching&city=alpha") == {"Alpha check-in"}
    # The month's links keep the filters.
    month = client.get(reverse("agenda:sessions", args=[world.cohort.slug]) + "?kind=coaching").content.decode()
    assert "&amp;kind=coaching" in month


@pytest.mark.parametrize("query,notice", [
    ("kind=party", "There is no kind of session “party”"),
    ("city=atlantis", "There is no city “atlantis”"),
    ("goal=%3Cscript%3E", "There is no learning goal “&lt;script&gt;”"),
])
def test_an_unknown_filter_value_is_a_notice_not_an_error(client, world, query, notice):
    create_session(world, title="Lead workshop", learning_goal="lead")
    client.force_login(world.users["coach"])
    for view in ("month", "list"):
        response = client.get(reverse("agenda:sessions", args=[world.cohort.slug]) + f"?view={view}&{query}")
        assert response.status_code == 200
        assert notice in response.content.decode()
        assert [s.title for s in response.context["sessions"]] == ["Lead workshop"]  # the filter left out


def test_a_coach_cannot_filter_by_a_city_they_do_not_coach(client, world):
    coaching_session(world, city=world.other_city, title="Beta check-in")
    client.force_login(world.users["coach"])
    response = client.get(reverse("agenda:sessions", args=[world.cohort.slug]) + "?view=list&city=beta")
    page = response.content.decode()
    assert "There is no city “beta”" in page and "Beta City" not in page and "Beta check-in" not in page


def test_my_sessions_come_in_upcoming_this_cohort_and_earlier_cohorts(client, world):
    create_session(world, title="Next workshop")
    create_session(world, title="Last week's workshop", days_ahead=-7)
    earlier = CohortFactory(name="Cohort 2024", status=Cohort.Status.COMPLETED,
                            start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2024, 6, 30))
    with scopes_disabled():
        SessionFactory(cohort=earlier, title="A 2024 keynote", kind="keynote", audience="everyone",
                       starts_at=in_days(-500), ends_at=in_days(-500) + datetime.timedelta(hours=1))
    client.force_login(world.users["staff"])  # staff see every cohort's sessions
    response = client.get(reverse("agenda:my_sessions"))
    mine = response.context["mine"]
    assert [s.title for s in mine.upcoming] == ["Next workshop"]
    assert [s.title for s in mine.this_cohort] == ["Last week's workshop"]
    assert [(c.name, [s.title for s in sessions]) for c, sessions in mine.earlier_cohorts] == [
        ("Cohort 2024", ["A 2024 keynote"])]
    page = response.content.decode()
    assert page.index("Last week&#x27;s workshop") < page.index("Earlier cohorts") < page.index("A 2024 keynote")


def test_staff_plan_a_cohort_with_no_cities_yet_and_others_find_no_such_calendar(client, world):
    """The calendar's cohort and cities come from one statement of the cohort's cities; a cohort
    with none yet is still staff's to plan, and to anyone else there is no such calendar."""
    with scopes_disabled():
        empty = CohortFactory(name="Cohort without cities")
    url = reverse("agenda:sessions", args=[empty.slug])
    client.force_login(world.users["staff"])
    response = client.get(url)
    assert response.status_code == 200 and "Cohort without cities" in response.content.decode()
    client.force_login(world.users["coach"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("agenda:sessions", args=["no-such-cohort"])).status_code == 404
