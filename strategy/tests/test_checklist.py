"""Submitting without trial and error: the plan page lists everything submission requires, part
by part, before the first attempt; the submit button says why it cannot be used yet."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from ..progress import DONE, LATER, TO_DO, plan_progress, submission_checklist
from ..selectors import plan_tree, strategy_for
from .factories import build_plan

pytestmark = pytest.mark.django_db

EVERY_RULE = [
    "The three-year vision is written.", "Two to five of the mayor's priorities are listed, one per line.",
    "The maturity level today is chosen.", "Where the city stands today is described.", "There is at least one goal.",
    "Every goal has at least one action.", "Every action has an owner, a start quarter and an end quarter.",
    "Every action has at least one measure.", "Every measure has a target, a unit and a date.",
    "People is written.", "Practices is written.", "Platforms is written.",
    "How staff and residents are engaged is written.", "How progress is evaluated and sustained is written.",
]


def checklist(city):
    with scope(city=city):
        tree = plan_tree(strategy_for(city))
    return submission_checklist(tree, plan_progress(tree))


def test_an_empty_plan_lists_every_rule_of_every_part_before_any_goal_exists(world):
    parts = checklist(world.city)
    assert [p.key for p in parts] == ["vision", "priorities", "governance", "quality", "use", "transparency",
                                      "people_practices_platforms", "engagement", "evaluation"]
    texts = [text for p in parts for text, _state in p.rules]
    assert set(EVERY_RULE) <= set(texts)
    governance = dict(parts[2].rules)
    assert governance["There is at least one goal."] == TO_DO
    assert governance["Every goal has at least one action."] == LATER  # applies once a goal exists
    assert governance["Every measure has a target, a unit and a date."] == LATER
    assert not any(p.done for p in parts)


def test_the_rules_follow_the_plan_down_to_each_measure(world):
    with scopes_disabled():
        build_plan(world.city)
        world.city.strategy_measures.filter(action__goal__component__kind="use").update(unit="")
    parts = {p.key: p for p in checklist(world.city)}
    assert all(state == DONE for _text, state in parts["governance"].rules) and parts["governance"].done
    use = dict(parts["use"].rules)
    assert use["Every measure has a target, a unit and a date."] == TO_DO
    assert [m for m, _anchor in parts["use"].missing] == [
        "Measure “Measure 1 of use goal 1 action 1” needs a target, a unit and a date."]


def test_the_plan_page_shows_the_whole_checklist_and_why_submit_is_disabled(client, world):
    client.force_login(world.users["member"])
    page = client.get(reverse("strategy:plan", kwargs={"city_slug": world.city.slug})).content.decode()
    checklist_html = page.split('id="checklist"')[1].split("</section>")[0]
    for rule in EVERY_RULE:
        assert rule.replace("'", "&#x27;") in checklist_html, rule
    for part in ("Three-year vision", "Data governance", "Evaluating and sustaining progress"):
        assert f'<h3 class="h6 mb-1">{part}' in checklist_html
    assert 'id="submit-button" disabled aria-describedby="submit-why"' in page
    assert "Not yet: 19 things in the checklist below are still to fill in." in page


def test_a_complete_plan_can_be_submitted_from_the_plan_page(client, world):
    with scopes_disabled():
        build_plan(world.city)
    client.force_login(world.users["member"])
    page = client.get(reverse("strategy:plan", kwargs={"city_slug": world.city.slug})).content.decode()
    assert "submit-why" not in page and "#step-submit" in page
    assert 'text-bg-warning' not in page.split('id="checklist"')[1].split("</section>")[0]


def test_the_review_page_disables_submit_with_its_reason(client, world):
    client.force_login(world.users["member"])
    page = client.get(reverse("strategy:review", kwargs={"city_slug": world.city.slug})).content.decode()
    assert 'disabled aria-describedby="submit-why-submit"' in page
    assert "things listed above are still to fill in." in page
