"""Editing without losing work: versions, conflicts, drafts, revisions and restore."""

import pytest
from django.urls import reverse
from django_scopes import scope

from ..models import Action, Draft, Revision, Section
from ..services.editing import EditConflict, revision_restore, unit_save
from .factories import build_plan, section

pytestmark = pytest.mark.django_db


def edit_url(city, kind, code):
    return reverse("strategy:edit", kwargs={"city_slug": city.slug, "kind": kind, "code": code})


def test_a_save_bumps_the_version_and_keeps_a_revision(client, world):
    with scope(city=world.city):
        unit = section(world.city)
        client.force_login(world.users["member"])
        response = client.post(edit_url(world.city, "section", unit.code), {"text": "Open by default.", "version": 1})
        assert response.status_code == 302
        unit.refresh_from_db()
        assert (unit.text, unit.version) == ("Open by default.", 2)
        revision = Revision.objects.get(unit_code=unit.code)
        assert revision.before == {"text": ""} and revision.after == {"text": "Open by default."}
        assert revision.actor == world.users["member"] and revision.part == "vision"
        world.city.strategy.refresh_from_db()
        assert world.city.strategy.last_changed_by == world.users["member"]


def test_two_editors_the_second_sees_both_texts_and_nothing_is_lost(client, world):
    unit = section(world.city)
    mayor, member = world.users["mayor"], world.users["member"]
    client.force_login(mayor)
    client.post(edit_url(world.city, "section", unit.code), {"text": "The mayor's vision.", "version": 1})
    client.force_login(member)
    response = client.post(edit_url(world.city, "section", unit.code), {"text": "The member's vision.", "version": 1})
    assert response.status_code == 409
    page = response.content.decode()
    assert "The mayor&#x27;s vision." in page and "The member&#x27;s vision." in page
    assert 'name="version" value="2"' in page  # saving again is based on the current text
    unit.refresh_from_db()
    assert unit.text == "The mayor's vision."  # never silently overwritten
    merged = client.post(edit_url(world.city, "section", unit.code), {"text": "Both visions, merged.", "version": 2})
    assert merged.status_code == 302
    unit.refresh_from_db()
    assert (unit.text, unit.version) == ("Both visions, merged.", 3)


def test_the_compare_and_swap_refuses_a_stale_version(world):
    with scope(city=world.city):
        unit = section(world.city)
        unit_save(city=world.city, actor=world.users["mayor"], unit=unit, values={"text": "one"}, base_version=1)
        with pytest.raises(EditConflict) as raised:
            unit_save(city=world.city, actor=world.users["member"], unit=unit, values={"text": "two"}, base_version=1)
        assert raised.value.current.text == "one" and raised.value.current.version == 2


def test_autosave_keeps_a_draft_and_warns_about_a_newer_save(client, world):
    with scope(city=world.city):
        unit = section(world.city)
        url = reverse("strategy:autosave", kwargs={"city_slug": world.city.slug, "kind": "section", "code": unit.code})
        client.force_login(world.users["member"])
        response = client.post(url, {"text": "half a thought", "version": 1})
        assert response.status_code == 200 and response.json()["conflict"] is False
        assert Draft.objects.get(user=world.users["member"]).data == {"text": "half a thought"}
        assert Section.objects.get(pk=unit.pk).version == 1  # a draft is not a saved change
        # Coming back to the page brings the draft back.
        assert "half a thought" in client.get(edit_url(world.city, "section", unit.code)).content.decode()
        unit_save(city=world.city, actor=world.users["mayor"], unit=unit, values={"text": "mayor text"}, base_version=1)
        response = client.post(url, {"text": "half a thought, finished", "version": 1})
        assert response.status_code == 409 and response.json()["conflict"] is True
        page = client.get(edit_url(world.city, "section", unit.code)).content.decode()
        assert "mayor text" in page and "half a thought, finished" in page  # both, to merge


@pytest.mark.parametrize("version", ["-1", "99999999999999999999"])
def test_autosave_with_an_out_of_range_version_is_a_400_not_a_server_error(world, version):
    with scope(city=world.city):
        from django.test import Client

        unit = section(world.city)
        url = reverse("strategy:autosave", kwargs={"city_slug": world.city.slug, "kind": "section", "code": unit.code})
        client = Client(raise_request_exception=False)
        client.force_login(world.users["member"])
        response = client.post(url, {"text": "half a thought", "version": version})
        assert response.status_code == 400 and response.json()["saved"] is False
        assert not Draft.objects.filter(user=world.users["member"]).exists()


def test_a_draft_with_a_non_numeric_quarter_still_shows_the_conflict_page(client, world):
    with scope(city=world.city):
        build_plan(world.city, goals=1, actions=1, measures=0)
        action = Action.objects.filter(city=world.city).first()
        url = reverse("strategy:autosave", kwargs={"city_slug": world.city.slug, "kind": "action", "code": action.code})
        client.force_login(world.users["member"])
        client.post(url, {"version": action.version, "what": "Draft", "end_quarter": "soon"})
        values = {name: getattr(action, name) for name in Action.EDITABLE_FIELDS}
        unit_save(city=world.city, actor=world.users["mayor"], unit=action, values={**values, "what": "Mayor's words"},
                  base_version=action.version)
        page = client.get(edit_url(world.city, "action", action.code))
        assert page.status_code == 200 and "Mayor&#x27;s words" in page.content.decode()


def test_bad_action_input_is_explained_next_to_the_field_and_kept(client, world):
    with scope(city=world.city):
        build_plan(world.city)
        action = Action.objects.filter(city=world.city).first()
        client.force_login(world.users["member"])
        response = client.post(edit_url(world.city, "action", action.code), {
            "what": "My carefully typed action", "owner": "CDO", "start_quarter": "6", "end_quarter": "2",
            "status": "on_track", "milestones": "typed milestones", "version": action.version,
        })
        page = response.content.decode()
        assert response.status_code == 200
        assert "The end quarter comes before the start quarter." in page
        assert "My carefully typed action" in page and "typed milestones" in page
        response = client.post(edit_url(world.city, "action", action.code), {
            "what": "x", "start_quarter": "13", "end_quarter": "14", "status": "on_track", "version": action.version,
        })
        assert "Choose a quarter inside the plan&#x27;s three years" in response.content.decode()


def test_a_non_numeric_target_is_refused_with_the_text_kept(client, world):
    with scope(city=world.city):
        build_plan(world.city)
        measure = world.city.strategy_measures.first()
        client.force_login(world.users["member"])
        response = client.post(edit_url(world.city, "measure", measure.code), {
            "name": "Permit days", "baseline": "45", "target": "about twenty", "unit": "days", "by_quarter": "8",
            "version": measure.version,
        })
        page = response.content.decode()
        assert "Enter a number, such as 75 or 12.5" in page and "about twenty" in page
        measure.refresh_from_db()
        assert measure.name != "Permit days"


def test_history_shows_a_diff_and_restore_is_a_new_checked_revision(client, world):
    with scope(city=world.city):
        unit = section(world.city)
        actor = world.users["member"]
        unit_save(city=world.city, actor=actor, unit=unit, values={"text": "first words"}, base_version=1)
        unit_save(city=world.city, actor=actor, unit=unit, values={"text": "second words"}, base_version=2)
        first = Revision.objects.get(version=2)
        client.force_login(actor)
        history = client.get(reverse("strategy:history", kwargs={"city_slug": world.city.slug}))
        assert history.status_code == 200 and "Three-year vision" in history.content.decode()
        page = client.get(reverse("strategy:revision",
                                  kwargs={"city_slug": world.city.slug, "code": first.code})).content.decode()
        assert "<ins>" in page and "first" in page and "Restore this version" in page
        restore = reverse("strategy:restore", kwargs={"city_slug": world.city.slug, "code": first.code})
        assert client.post(restore, {"version": 2}).status_code == 302  # stale: refused
        unit.refresh_from_db()
        assert unit.text == "second words"
        client.post(restore, {"version": 3})
        unit.refresh_from_db()
        assert (unit.text, unit.version) == ("first words", 4)
        latest = Revision.objects.filter(unit_code=unit.code).first()
        assert latest.kind == Revision.Kind.RESTORED and latest.restored_from == first
        # The history's rows are kept, under how many changes there are and the newest: the
        # restore (a new change) shows at once, on the whole history and on the unit's own.
        history = client.get(reverse("strategy:history", kwargs={"city_slug": world.city.slug})).content.decode()
        assert history.count("<tr>") == 1 + 3 and "Restored" in history
        one = client.get(reverse("strategy:history", kwargs={"city_slug": world.city.slug}) + f"?unit={unit.code}")
        assert "Restored" in one.content.decode()
        # The change's page is kept too, under the unit's version: it now shows the plan as this
        # change left it, with nothing to restore.
        again = client.get(reverse("strategy:revision", kwargs={"city_slug": world.city.slug, "code": first.code}))
        assert "<ins>" in again.content.decode() and "Restore this version" not in again.content.decode()


def test_a_kept_change_page_carries_each_viewers_own_token_and_its_restore_is_accepted(world):
    """The change's page is kept for everyone who may restore it: each viewer's copy carries their
    own CSRF token, and the restore posted from it is accepted."""
    import re

    from django.test import Client

    with scope(city=world.city):
        unit = section(world.city)
        actor = world.users["member"]
        unit_save(city=world.city, actor=actor, unit=unit, values={"text": "first words"}, base_version=1)
        unit_save(city=world.city, actor=actor, unit=unit, values={"text": "second words"}, base_version=2)
        first = Revision.objects.get(version=2)
    url = reverse("strategy:revision", kwargs={"city_slug": world.city.slug, "code": first.code})
    tokens = []
    for person in (world.users["mayor"], actor):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(person)
        for _ in range(2):  # the second view is served from the kept body
            html = browser.get(url).content.decode()
            assert "csrf-token" not in html and "Restore this version" in html
        tokens.append(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[0])
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.users["mayor"])
    refused = browser.post(reverse("strategy:restore", kwargs={"city_slug": world.city.slug, "code": first.code}),
                           {"csrfmiddlewaretoken": tokens[1], "version": 3})
    assert refused.status_code == 403  # another person's token
    browser.get(url)
    token = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get(url).content.decode())[0]
    response = browser.post(reverse("strategy:restore", kwargs={"city_slug": world.city.slug, "code": first.code}),
                            {"csrfmiddlewaretoken": token, "version": 3})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.text == "first words"


def test_restoring_a_version_whose_owner_has_left_the_team_keeps_the_plan_working(client, world):
    with scope(city=world.city):
        from django.test import Client

        from cohorts.services.teams import membership_remove
        from cohorts.tests.factories import MembershipFactory

        build_plan(world.city, goals=1, actions=1, measures=0)
        action = Action.objects.filter(city=world.city).first()
        leaver = MembershipFactory(city=world.city)
        actor = world.users["member"]
        values = {name: getattr(action, name) for name in Action.EDITABLE_FIELDS}
        unit_save(city=world.city, actor=actor, unit=action, values={**values, "owner_member": leaver},
                  base_version=action.version)
        with_leaver = Revision.objects.get(unit_code=action.code)
        membership_remove(membership=leaver, actor=world.users["staff"])
        action.refresh_from_db()
        client = Client(raise_request_exception=False)
        client.force_login(actor)
        url = reverse("strategy:restore", kwargs={"city_slug": world.city.slug, "code": with_leaver.code})
        response = client.post(url, {"version": action.version})
        assert response.status_code == 302
        action.refresh_from_db()
        assert action.owner_member_id is None and action.owner == values["owner"]


def test_restore_service_refuses_a_stale_version(world):
    with scope(city=world.city):
        unit = section(world.city)
        unit_save(city=world.city, actor=world.users["member"], unit=unit, values={"text": "a"}, base_version=1)
        revision = Revision.objects.get()
        with pytest.raises(EditConflict):
            revision_restore(city=world.city, actor=world.users["member"], revision=revision, unit=unit, base_version=1)


def test_adding_and_removing_goals_actions_measures(client, world):
    with scope(city=world.city):
        build_plan(world.city, complete=False)
        component = world.city.strategy_components.get(kind="use")
        client.force_login(world.users["member"])

        def add(kind, parent):
            return reverse("strategy:add", kwargs={"city_slug": world.city.slug, "kind": kind, "parent_code": parent})

        client.post(add("goal", component.code), {"title": "A monthly performance routine"})
        goal = world.city.strategy_goals.get(title="A monthly performance routine")
        owner = world.city.memberships.first().pk
        client.post(add("action", goal.code), {"what": "First review meeting", "start_quarter": "1", "end_quarter": "2",
                                               "status": "not_started", "owner_member": owner})
        action = goal.actions.get()
        client.post(add("measure", action.code),
                    {"name": "Meetings held", "target": "12", "unit": "meetings", "by_quarter": "4"})
        assert action.measures.get().target == 12
        remove = reverse("strategy:remove", kwargs={"city_slug": world.city.slug, "kind": "goal", "code": goal.code})
        client.post(remove, {"version": goal.version})
        assert not world.city.strategy_goals.filter(pk=goal.pk).exists()
        assert Revision.objects.filter(unit_code=goal.code, kind=Revision.Kind.DELETED).exists()


def test_the_owner_picker_lists_only_this_citys_team(client, world):
    with scope(city=world.city):
        build_plan(world.city)
        action = Action.objects.filter(city=world.city).first()
        client.force_login(world.users["member"])
        page = client.get(edit_url(world.city, "action", action.code)).content.decode()
        assert world.users["mayor"].full_name in page
        assert world.mayor_b.full_name not in page
        with scope(city=world.other_city):  # the probe comes from city B
            other = world.other_city.memberships.first()
        response = client.post(edit_url(world.city, "action", action.code), {
            "what": "x", "owner_member": other.pk, "start_quarter": "1", "end_quarter": "2", "status": "on_track",
            "version": action.version})
        assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_units_of_another_city_are_not_found(client, world):
    other = section(world.other_city)
    client.force_login(world.users["member"])
    assert client.get(edit_url(world.city, "section", other.code)).status_code == 404


def test_a_change_of_another_city_is_not_found_at_this_citys_address(client, world):
    with scope(city=world.other_city):
        unit = section(world.other_city)
        unit_save(city=world.other_city, actor=world.users["staff"], unit=unit, values={"text": "theirs"},
                  base_version=1)
        theirs = Revision.objects.get(unit_code=unit.code)
    client.force_login(world.users["member"])
    page = reverse("strategy:revision", kwargs={"city_slug": world.city.slug, "code": theirs.code})
    assert client.get(page).status_code == 404
    client.force_login(world.users["staff"])
    assert client.get(page).status_code == 404
    mine = reverse("strategy:revision", kwargs={"city_slug": world.other_city.slug, "code": theirs.code})
    assert "theirs" in client.get(mine).content.decode()


def test_coaches_never_edit(client, world):
    unit = section(world.city)
    client.force_login(world.users["coach"])
    assert client.post(edit_url(world.city, "section", unit.code),
                       {"text": "coach text", "version": 1}).status_code == 403


def test_a_draft_can_be_discarded(client, world):
    unit = section(world.city)
    url = reverse("strategy:autosave", kwargs={"city_slug": world.city.slug, "kind": "section", "code": unit.code})
    client.force_login(world.users["member"])
    client.post(url, {"text": "not this", "version": 1})
    assert "Discard my draft" in client.get(edit_url(world.city, "section", unit.code)).content.decode()
    assert client.post(url, {"discard": "1"}).status_code == 302
    assert not Draft.objects.exists()


def test_a_removed_goal_comes_back_with_its_actions_and_measures(client, world):
    with scope(city=world.city):
        build_plan(world.city, goals=1, actions=2, measures=1)
        goal = world.city.strategy_goals.get(component__kind="use")
        titles = sorted(goal.actions.values_list("what", flat=True))
        client.force_login(world.users["member"])
        client.post(reverse("strategy:remove", kwargs={"city_slug": world.city.slug, "kind": "goal",
                                                       "code": goal.code}),
                    {"version": goal.version})
        removal = Revision.objects.get(unit_code=goal.code, kind=Revision.Kind.DELETED)
        assert Revision.objects.filter(kind=Revision.Kind.DELETED, created_at=removal.created_at).count() == 5
        page = client.get(reverse("strategy:revision", kwargs={"city_slug": world.city.slug, "code": removal.code}))
        assert "Put it back in the plan" in page.content.decode()
        restore = reverse("strategy:restore", kwargs={"city_slug": world.city.slug, "code": removal.code})
        assert client.post(restore).status_code == 302
        back = world.city.strategy_goals.get(code=goal.code)
        assert back.title == goal.title and back.version == goal.version + 1
        assert sorted(back.actions.values_list("what", flat=True)) == titles
        assert world.city.strategy_measures.filter(action__goal=back).count() == 2
        client.post(restore)  # a second time changes nothing
        assert world.city.strategy_goals.filter(code=goal.code).count() == 1
