
"""Who may take each step of the review workflow: the permissions in strategy/rules.py, and the
service and the page asking them. City A is the city; its own coach reviews, city B's people and
coach are outsiders, program staff watch but take no step."""

import pytest
from django_scopes import scope

from accelerator.errors import RuleViolation

from ..models import Strategy
from ..services.review import TRANSITIONS, available_transitions, strategy_transition
from .factories import build_plan


@pytest.fixture(autouse=True)
def _within_city_a(world):
    """Every test here acts on city A, inside its scope, as a request to its pages would."""
    with scope(city=world.city):
        yield

pytestmark = pytest.mark.django_db

S = Strategy.Status
ROLES = ["member", "mayor", "coach", "other_coach", "outsider", "staff"]
MAY = {
    "submit": {"member", "mayor"},
    "request_changes": {"coach"},
    "endorse": {"coach"},
    "approve": {"mayor"},
    "amend": {"member", "mayor"},
}
CASES = [(step, role) for step in MAY for role in ROLES]


def test_every_step_has_its_own_permission():
    assert set(MAY) == set(TRANSITIONS)
    assert {t.name: t.permission for t in TRANSITIONS.values()} == {name: f"strategy.{name}" for name in MAY}


@pytest.mark.parametrize("step,role", CASES, ids=[f"{s}-{r}" for s, r in CASES])
def test_who_holds_each_step_permission(world, step, role):
    assert world.users[role].has_perm(f"strategy.{step}", world.city) is (role in MAY[step])


def _plan_at(world, status):
    build_plan(world.city)
    Strategy.objects.filter(city=world.city).update(status=status)
    return Strategy.objects.get(city=world.city)


@pytest.mark.parametrize("step,role", CASES, ids=[f"{s}-{r}" for s, r in CASES])
def test_the_service_lets_only_holders_take_the_step(world, step, role):
    transition = TRANSITIONS[step]
    source = transition.sources[0]
    _plan_at(world, source)
    take = lambda: strategy_transition(  # noqa: E731 (the same call in both branches)
        city=world.city, actor=world.users[role], name=step, message="Please name the owners.", notify=False)
    if role in MAY[step]:
        assert take().status == transition.target
    else:
        with pytest.raises(RuleViolation, match="You may not take this step"):
            take()
        assert Strategy.objects.get(city=world.city).status == source


@pytest.mark.parametrize("status", S.values)
@pytest.mark.parametrize("role", ROLES)
def test_available_transitions_are_the_permitted_steps_from_here(world, role, status):
    strategy = _plan_at(world, status)
    steps = {t.name for t in available_transitions(strategy, city=world.city, actor=world.users[role])}
    assert steps == {name for name, t in TRANSITIONS.items() if status in t.sources and role in MAY[name]}


def test_the_review_page_offers_only_the_viewers_steps(client, world):
    from django.urls import reverse

    _plan_at(world, S.SUBMITTED)
    url = reverse("strategy:review", kwargs={"city_slug": world.city.slug})
    for role, shown in [("coach", {"request_changes", "endorse"}), ("member", set()), ("mayor", set()),
                        ("staff", set())]:
        client.force_login(world.users[role])
        page = client.get(url).content.decode()
        assert {name for name in TRANSITIONS if f'id="step-{name}"' in page} == shown, role
    client.force_login(world.users["staff"])
    assert client.post(url, {"step": "endorse"}).status_code == 200
    assert Strategy.objects.get(city=world.city).status == S.SUBMITTED
