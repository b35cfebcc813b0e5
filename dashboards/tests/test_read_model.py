"""The cohort dashboard's stored rows follow every input: each test changes one input through the
service that owns it and asserts the city's stored row changed once the change committed."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from agenda.models import Attendance, SessionInvitation
from agenda.services.attendance import attendance_mark
from agenda.tests.factories import create_session
from coaching.models import Showcase
from coaching.services.checkins import checkin_create
from coaching.services.decisions import decision_raise
from coaching.services.showcases import showcase_give_feedback
from coaching.tests.factories import ShowcaseFactory
from cohorts.models import DashboardRow
from cohorts.services.dashboard_rows import dashboard_rows_changed
from cohorts.services.teams import city_set_coaches, membership_remove
from convening.models import EligibilityReview
from convening.services.desk import convening_check_in
from convening.services.eligibility import eligibility_decide
from convening.services.enforcement import convening_enforce
from convening.tests.factories import after, during, make_convening
from dashboards import read_model
from dashboards.tasks import sweep_rows
from strategy.services.editing import unit_save
from strategy.services.maturity import maturity_rate
from strategy.tests.factories import build_plan, section

pytestmark = pytest.mark.django_db


def stored(city):
    with scopes_disabled():
        return DashboardRow.objects.get(city=city)


@pytest.fixture
def current(world):
    """Both cities' rows computed and current before the change under test."""
    with scopes_disabled():
        read_model.rows_refresh([world.city.pk, world.other_city.pk])
    return world


def changed(city, before, django_capture_on_commit_callbacks, change):
    """Run `change()` and its on-commit callbacks (the queued refresh, run inline as in tests);
    return the row after, which must be current and differ from `before`."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        change()
    assert callbacks, "the change queued no refresh"
    row = stored(city)
    assert row.is_current
    assert row.data != before
    return row.data


def test_a_change_marks_the_row_out_of_date_in_its_own_transaction(current):
    before = stored(current.city).version
    dashboard_rows_changed(city_ids=[current.city.pk])  # no commit yet: the refresh has not run
    row = stored(current.city)
    assert row.version == before + 1 and not row.is_current
    assert stored(current.other_city).is_current


def test_plan_completeness_per_part(current, django_capture_on_commit_callbacks):
    before = stored(current.city).data
    vision = section(current.city, "vision")
    with scope(city=current.city):
        data = changed(current.city, before, django_capture_on_commit_callbacks, lambda: unit_save(
            city=current.city, actor=current.users["mayor"], unit=vision,
            values={"text": "A city that decides with its data. " * 20}, base_version=vision.version))
    assert data["parts"] != before["parts"] or before["parts"] == {}


def test_maturity_rating(current, django_capture_on_commit_callbacks):
    build_plan(current.city)
    with scopes_disabled():
        read_model.rows_refresh([current.city.pk])
    before = stored(current.city).data
    with scope(city=current.city):
        data = changed(current.city, before, django_capture_on_commit_callbacks, lambda: maturity_rate(
            city=current.city, actor=current.users["mayor"], phase="baseline", ratings={"governance": (3, "")}))
    assert data["maturity"]["governance"]["baseline"] == 3


def test_attendance_marks(current, django_capture_on_commit_callbacks):
    session = create_session(current, days_ahead=-1, title="Held workshop")
    with scopes_disabled():
        read_model.rows_refresh([current.city.pk])
        invitation = SessionInvitation.objects.get(session=session, person=current.users["member"])
    before = stored(current.city).data
    with scopes_disabled():  # a cohort-wide session: its page is scoped to every city invited
        data = changed(current.city, before, django_capture_on_commit_callbacks, lambda: attendance_mark(
            session=session, actor=current.users["staff"], marks={invitation: Attendance.Status.PRESENT}))
    assert data["team_rate"]["rate"] == 100 and data["marks"][str(session.pk)] == [1, 1]


def test_coaching_checkin_decision_and_showcase(current, django_capture_on_commit_callbacks):
    city, coach = current.city, current.users["coach"]
    before = stored(city).data
    with scope(city=city):
        data = changed(city, before, django_capture_on_commit_callbacks, lambda: checkin_create(
            city=city, actor=coach, held_on=timezone.localdate(), focus_goal="lead", summary="Met the team"))
        assert data["coaching"]["last_checkin"] == timezone.localdate().isoformat()
        data = changed(city, data, django_capture_on_commit_callbacks, lambda: decision_raise(
            city=city, actor=coach, question="Publish the inventory?", context="Why",
            due_on=timezone.localdate() + datetime.timedelta(days=5)))
        assert data["coaching"]["open_decisions"] == 1
    with scopes_disabled():
        showcase = ShowcaseFactory(city=city, status=Showcase.Status.SUBMITTED, submitted_at=timezone.now())
        read_model.rows_refresh([city.pk])
    before = stored(city).data
    with scope(city=city):
        data = changed(city, before, django_capture_on_commit_callbacks, lambda: showcase_give_feedback(
            showcase=showcase, actor=coach, what_works="w", to_strengthen="s", sustained="partly"))
    assert data["coaching"]["showcases"].get("feedback") == 1


def test_team_and_coaches(current, django_capture_on_commit_callbacks):
    city = current.city
    before = stored(city).data
    with scopes_disabled():
        mayor = city.memberships.get(role="mayor")
        other_coach = current.users["other_coach"]
    with scope(city=city):
        data = changed(city, before, django_capture_on_commit_callbacks,
                       lambda: membership_remove(membership=mayor, actor=current.users["staff"]))
        assert data["mayor"] is None
        data = changed(city, data, django_capture_on_commit_callbacks, lambda: city_set_coaches(
            city=city, coaches=[other_coach], actor=current.users["staff"]))
    assert data["coaches"] == [[other_coach.email, other_coach.full_name]]


def test_convening_check_in_enforcement_and_eligibility(current, django_capture_on_commit_callbacks):
    city = current.city
    session = make_convening(current.cohort)
    wednesday = session.test_days[0]
    with scopes_disabled():
        read_model.rows_refresh([city.pk])
    before = stored(city).data
    with scopes_disabled():
        data = changed(city, before, django_capture_on_commit_callbacks, lambda: convening_check_in(
            session=session, actor=current.users["staff"], person=current.users["mayor"], identity_confirmed=True,
            now=during(wednesday)))
    assert data["convening"]["session"] == session.pk
    # After the convening the sweep marks the missed segments and opens a review.
    data = changed(city, data, django_capture_on_commit_callbacks,
                   lambda: convening_enforce(now=after(session), session=session))
    assert data["convening"]["review"]["state"] == EligibilityReview.State.PENDING
    with scopes_disabled():
        review = EligibilityReview.objects.get(session=session, city=city)
    data = changed(city, data, django_capture_on_commit_callbacks, lambda: eligibility_decide(
        review=review, actor=current.users["staff"], state=EligibilityReview.State.EXCUSED,
        reason="Flight cancelled by the airline."))
    assert data["convening"]["review"]["state"] == EligibilityReview.State.EXCUSED


def test_the_sweep_recomputes_rows_out_of_date_missing_or_old(current):
    with scopes_disabled():
        DashboardRow.objects.filter(city=current.city).update(computed_at=timezone.now() - read_model.MAX_AGE)
        DashboardRow.objects.filter(city=current.other_city).delete()
        assert set(read_model.stale_city_ids()) == {current.city.pk, current.other_city.pk}
        assert sweep_rows() == 2
        assert read_model.stale_city_ids() == []
        assert all(row.is_current for row in DashboardRow.objects.all())


def test_many_changes_in_one_transaction_queue_one_refresh(current, django_capture_on_commit_callbacks, monkeypatch):
    """A bulk set-up changes thousands of inputs in one transaction: the refresh runs once for all of
    them, and a rolled-back change leaves nothing behind to refresh."""
    from django.db import transaction

    refreshed = []
    original = read_model.rows_refresh
    monkeypatch.setattr(read_model, "rows_refresh", lambda ids, **kw: refreshed.append(sorted(ids)) or original(ids))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(50):
            dashboard_rows_changed(city_ids=[current.city.pk])
            dashboard_rows_changed(city_ids=[current.other_city.pk])
        try:
            with transaction.atomic():
                dashboard_rows_changed(cohort_id=current.city.cohort_id)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert len(callbacks) == 100  # each change keeps its own hook, so a rollback takes exactly its own
    assert refreshed == [sorted([current.city.pk, current.other_city.pk])]
    assert stored(current.city).is_current and stored(current.other_city).is_current
