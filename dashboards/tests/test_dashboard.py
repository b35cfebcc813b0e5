import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accelerator.tests.factories import CoachFactory
from accelerator.tests.queries import assert_num_page_queries, count_queries
from accelerator.tests.scopes import scope_for
from agenda.tests.factories import create_session
from cohorts.models import City, DashboardRow
from cohorts.services.dashboard_rows import dashboard_rows_changed
from convening.models import EligibilityReview
from convening.tests.factories import make_convening
from dashboards import read_model, selectors
from strategy.models import Strategy
from strategy.selectors import plan_tree, plan_trees
from strategy.tests.factories import build_plan

from .factories import add_city, fill_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world):
    """A workshop for the senior teams that took place yesterday."""
    return create_session(world, days_ahead=-1, title="Held workshop")


@pytest.fixture
def filled(world, held):
    fill_city(world.city, coach=world.users["coach"], session=held)
    fill_city(world.other_city, coach=world.users["other_coach"], session=held, checkin_days_ago=40,
              attended=False, overdue_decision=True)
    return world


def url(world, **params):
    from urllib.parse import urlencode

    base = reverse("dashboards:cohort", kwargs={"cohort_slug": world.cohort.slug})
    return f"{base}?{urlencode(params)}" if params else base


def rows_by_name(world, user):
    with scope_for(user):
        _session, rows = selectors.city_rows(world.cohort, user)
    return {row.city.name: row for row in rows}


def test_each_row_gathers_every_app(filled):
    rows = rows_by_name(filled, filled.users["staff"])
    alpha, beta = rows["Alpha City"], rows["Beta City"]
    assert alpha.attendance["rate"] == 100 and beta.attendance["rate"] == 0
    assert alpha.coaching["last_checkin"] == timezone.localdate() - datetime.timedelta(days=3)
    assert not alpha.coaching["checkin_overdue"] and beta.coaching["checkin_overdue"]
    assert alpha.coaching["open_decisions"] == 1 and beta.coaching["overdue_decisions"] == 1
    assert alpha.showcase_summary == {"draft": 1, "submitted": 1, "feedback": 0}
    assert alpha.strategy.status == Strategy.Status.DRAFT and alpha.completeness == 100
    assert alpha.strategy_parts["governance"] == 100
    assert alpha.maturity["governance"] == {"baseline": 1, "latest": 3, "final": True}
    # No end rating for "use": the latest level is the one the plan gives today.
    assert alpha.maturity["use"] == {"baseline": None, "latest": 2, "final": False}
    assert alpha.maturity_change == 1.5


def test_needs_attention_spells_out_the_reasons(filled):
    beta = rows_by_name(filled, filled.users["staff"])["Beta City"]
    text = " | ".join(beta.reasons)
    assert "Check-in overdue" in text
    assert "1 mayor decision overdue" in text
    assert "Senior-team attendance 0% (below 70%)" in text
    assert "A showcase has waited for feedback" in text
    alpha = rows_by_name(filled, filled.users["staff"])["Alpha City"]
    assert all("Check-in" not in r and "attendance" not in r for r in alpha.reasons)


def test_eligibility_pending_review_and_participation_need_attention(filled):
    session = make_convening(filled.cohort, start=timezone.now() - datetime.timedelta(days=5))
    EligibilityReview.objects.create(session=session, city=filled.city, missed=["Thursday"])
    City.objects.filter(pk=filled.city.pk).update(status=City.Status.NOT_ELIGIBLE)
    alpha = rows_by_name(filled, filled.users["staff"])["Alpha City"]
    assert "Participation: Not eligible" in alpha.reasons
    assert "Eligibility pending review: the mayor missed Thursday" in alpha.reasons


def test_strategy_behind_when_the_program_is_well_under_way(world):
    cohort = world.cohort
    cohort.start_date = timezone.localdate() - datetime.timedelta(days=120)
    cohort.end_date = timezone.localdate() + datetime.timedelta(days=60)
    cohort.save()
    rows = rows_by_name(world, world.users["staff"])
    assert any(r.startswith("Strategy behind: 0% complete") for r in rows["Alpha City"].reasons)


def test_a_running_absence_streak_needs_attention(filled, held):
    from agenda.models import AbsenceWarning

    with scope(city=filled.other_city):
        person = filled.other_city.memberships.exclude(role="mayor").first().user
    AbsenceWarning.objects.create(city=filled.other_city, person=person, first_missed=held, last_missed=held, streak=2)
    beta = rows_by_name(filled, filled.users["staff"])["Beta City"]
    assert f"Absence warning: {person.full_name} missed 2 sessions in a row" in beta.reasons
    # Once the person comes back, the streak is over.
    later = create_session(filled, days_ahead=1, title="Later workshop")
    from agenda.models import Attendance

    Attendance.objects.create(session=later, city=filled.other_city, person=person, status="present")
    # The ledger is written directly here; the services that write it mark the row the same way.
    dashboard_rows_changed(city_ids=[filled.other_city.pk])
    beta = rows_by_name(filled, filled.users["staff"])["Beta City"]
    assert not any(r.startswith("Absence warning") for r in beta.reasons)


def test_plan_trees_match_plan_tree(world):
    first, second = build_plan(world.city, goals=2, actions=2), build_plan(world.other_city)
    with scopes_disabled():  # the cohort's plans side by side
        trees = plan_trees([first, second])
        assert trees[first.pk] == plan_tree(first) and trees[second.pk] == plan_tree(second)


def test_a_coach_sees_only_their_cities_in_rows_charts_and_filters(client, filled):
    coach = filled.users["coach"]
    with scope_for(coach):
        _session, rows = selectors.city_rows(filled.cohort, coach)
    assert [r.city for r in rows] == [filled.city]
    client.force_login(coach)
    html = client.get(url(filled)).content.decode()
    assert "Alpha City" in html and "Beta City" not in html
    assert "Coach Beta" not in html and filled.users["other_coach"].email not in html
    dashboard = client.get(url(filled)).context["dashboard"]
    assert dashboard.choices["coaches"] == [(coach.email, coach.full_name)]
    # The charts only count the coach's city: Beta's absences would pull attendance to 50%.
    assert [s["rate"]["rate"] for s in dashboard.charts["attendance"]["table"]] == [100]
    assert all(p["cities"] == 1 for p in dashboard.charts["completeness"]["table"])


def test_a_coach_filtering_by_another_coach_gets_a_notice_not_their_cities(client, filled):
    client.force_login(filled.users["coach"])
    response = client.get(url(filled, coach=filled.users["other_coach"].email))
    assert response.status_code == 200
    notices = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Unknown coach" in n for n in notices)
    assert "Beta City" not in response.content.decode()


def test_filters_sort_and_unknown_values(client, filled):
    CityFactoryCountry = add_city(filled.cohort, CoachFactory(full_name="Coach Gamma"))
    CityFactoryCountry.country = "Chile"
    CityFactoryCountry.save()
    client.force_login(filled.users["staff"])
    by_coach = client.get(url(filled, coach=filled.users["other_coach"].email)).context["dashboard"]
    assert [r.city.name for r in by_coach.rows] == ["Beta City"]
    by_country = client.get(url(filled, country="Chile")).context["dashboard"]
    assert [r.city.pk for r in by_country.rows] == [CityFactoryCountry.pk]
    attention = client.get(url(filled, attention="yes", sort="city", dir="asc")).context["dashboard"]
    assert "Beta City" in [r.city.name for r in attention.rows]
    assert all(r.needs_attention for r in attention.rows)
    desc = client.get(url(filled, sort="city", dir="desc")).context["dashboard"]
    names = [r.city.name for r in desc.rows]
    assert names == sorted(names, key=str.lower, reverse=True)
    response = client.get(url(filled, status="sleeping", sort="<script>", country="Atlantis"))
    assert response.status_code == 200
    notices = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(notices) == 3 and any(n == "Unknown status “sleeping” ignored." for n in notices)
    assert len(response.context["dashboard"].rows) == 3
    assert "<script>" not in response.content.decode()
    # Served again from the kept body, the page still says what it ignored.
    again = client.get(url(filled, status="sleeping", sort="<script>", country="Atlantis"))
    assert [str(m) for m in get_messages(again.wsgi_request)] == notices
    assert "Unknown status “sleeping” ignored." in again.content.decode()


def test_page_shows_charts_with_text_alternatives_and_export_links(client, filled):
    client.force_login(filled.users["staff"])
    html = client.get(url(filled)).content.decode()
    for title in ("Attendance by session", "Strategy completeness by component", "Maturity change per component"):
        assert f">{title}</title>" in html
    assert html.count('role="img"') >= 3 and html.count("<desc") >= 3 and html.count("<details>") >= 3
    assert reverse("cohorts:export_cities", kwargs={"cohort_slug": filled.cohort.slug}) in html
    assert reverse("dashboards:city_home", kwargs={"city_slug": filled.city.slug}) in html


def refresh_all(cohort):
    with scopes_disabled():
        read_model.rows_refresh(City.objects.filter(cohort=cohort).values_list("pk", flat=True))


@pytest.mark.parametrize("role,expected", [("staff", 8), ("coach", 8)])
def test_dashboard_reads_current_rows_in_a_few_queries_however_many_cities(client, filled, held, role, expected):
    client.force_login(filled.users[role])
    coach = filled.users["coach"]

    def grow(**kwargs):
        add_city(filled.cohort, coach, session=held, **kwargs)
        refresh_all(filled.cohort)

    refresh_all(filled.cohort)
    assert_num_page_queries(client, url(filled), expected=expected, grow=grow)
    assert_num_page_queries(client, url(filled, attention="yes", sort="maturity"), expected=expected,
                            grow=lambda: grow(overdue_decision=True))


@pytest.mark.parametrize("role,expected", [("staff", 35), ("coach", 35)])
def test_rows_not_current_are_recomputed_together_in_a_fixed_number_of_queries(client, filled, held, role, expected):
    """With no stored rows at all (every city new), the page computes them in one batch (five of
    the queries: the lists each city's home shows, stored in the same rows)."""
    client.force_login(filled.users[role])
    coach = filled.users["coach"]

    def grow(**kwargs):
        add_city(filled.cohort, coach, session=held, **kwargs)
        with scopes_disabled():
            DashboardRow.objects.all().delete()

    grow()
    assert_num_page_queries(client, url(filled), expected=expected, grow=grow)


def test_a_known_status_with_no_city_filters_to_nothing_without_a_notice(client, world):
    client.force_login(world.users["staff"])
    response = client.get(url(world, status="withdrawn"))
    assert not list(get_messages(response.wsgi_request))
    assert response.context["dashboard"].rows == []
    assert "No city matches these filters." in response.content.decode()


def test_the_rendered_page_is_reused_until_its_data_changes(client, filled, django_capture_on_commit_callbacks):
    from coaching.services.decisions import decision_raise

    refresh_all(filled.cohort)
    client.force_login(filled.users["staff"])
    first = count_queries(client, url(filled))
    again = count_queries(client, url(filled))
    # Served from the cached copy: only the session, the viewer and the one query that reads the
    # cohort with its page's state; no row is built, no session, chart or desk read again.
    assert (first, again) == (8, 3)
    with scope(city=filled.city), django_capture_on_commit_callbacks(execute=True):
        decision_raise(city=filled.city, actor=filled.users["coach"], question="Publish the inventory?",
                       context="Why", due_on=timezone.localdate() + datetime.timedelta(days=5))
    dashboard = client.get(url(filled)).context["dashboard"]
    alpha = next(r for r in dashboard.rows if r.city.pk == filled.city.pk)
    assert alpha.coaching["open_decisions"] == 2
    assert "2 open" in client.get(url(filled)).content.decode()


def test_the_page_state_follows_every_input(filled):
    """The one query that names the page reads the cohort at its address and moves with a row's
    version and computation, a session, an invitation to a city of the cohort (while it is
    planned), and counts only the cities it is given."""
    from cohorts.models import Cohort, Role, RoleInvitation
    from cohorts.services.invitations import invitation_create
    from dashboards.page_state import cohort_state

    refresh_all(filled.cohort)

    def state(city_ids=None):
        with scopes_disabled():
            cohort, read = cohort_state(filled.cohort.slug, city_ids)
        assert (cohort.pk, cohort.name, cohort.start_date, cohort.end_date, cohort.status) == (
            filled.cohort.pk, filled.cohort.name, filled.cohort.start_date, filled.cohort.end_date,
            filled.cohort.status)
        return read

    before = state()
    assert before["rows"]["cities"] == before["rows"]["current"] == 2
    assert before["rows"]["oldest"] is not None and before["rows"]["oldest"].tzinfo is not None
    assert before["invitations"] is None  # a running cohort shows no set-up checklist
    with scopes_disabled():
        dashboard_rows_changed(city_ids=[filled.city.pk])
    raised = state()
    assert raised["rows"]["current"] == 1 and raised["rows"]["versions"] == before["rows"]["versions"] + 1
    refresh_all(filled.cohort)
    assert state()["rows"]["latest"] > before["rows"]["latest"]
    create_session(filled, title="One more")
    assert state()["sessions"][0] == before["sessions"][0] + 1
    Cohort.objects.filter(pk=filled.cohort.pk).update(status=Cohort.Status.PLANNED)
    filled.cohort.refresh_from_db()
    planned = state()["invitations"]
    with scopes_disabled():
        invitation_create(email="new@example.org", full_name="New Person", kind=RoleInvitation.Kind.CITY,
                          city=filled.city, role=Role.POLICY, actor=filled.users["staff"])
    assert state()["invitations"]["n"] == planned["n"] + 1
    assert state()["invitations"]["latest"] is not None
    assert state([filled.city.pk])["rows"]["cities"] == 1 and state([])["rows"]["cities"] == 0
    with scopes_disabled():
        assert cohort_state("no-such-cohort") == (None, None)
