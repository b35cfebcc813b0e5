import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from accelerator.tests.queries import assert_num_page_queries
from coaching.models import ActionItem, CheckIn, LearningGoal
from coaching.services.checkins import action_item_set_status, checkin_create
from cohorts.tests.factories import MembershipFactory

from .factories import ActionItemFactory, CheckInFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def checkin_post(world, *, held_on=TODAY, items=(), attendees=(), notes="", summary="Shared summary"):
    data = {
        "held_on": held_on.isoformat(), "focus_goal": LearningGoal.LEAD, "summary": summary,
        "private_notes": notes, "progress_lead": "2", "progress_invest": "", "progress_empower": "3",
        "attendees": [m.pk for m in attendees],
        "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "20",
    }
    for i, (what, owner, due) in enumerate(items):
        data[f"items-{i}-what"] = what
        data[f"items-{i}-owner"] = owner.pk if owner else ""
        data[f"items-{i}-due_on"] = due.isoformat() if due else ""
    return data


def url(world, name, **kwargs):
    return reverse(f"coaching:{name}", kwargs={"city_slug": world.city.slug, **kwargs})


def test_coach_logs_a_checkin_with_two_action_items(client, world):
    with scope(city=world.city):
        member = world.city.memberships.get(user=world.users["member"])
        client.force_login(world.users["coach"])
        response = client.post(url(world, "checkin_create"), checkin_post(
            world, attendees=[member], items=[("Publish the inventory", member, TODAY + datetime.timedelta(days=7)),
                                              ("Draft the data policy", member, None)],
        ))
        checkin = CheckIn.objects.get(city=world.city)
        assert response.status_code == 302 and response["Location"] == checkin.get_absolute_url()
        assert checkin.coach == world.users["coach"]
        assert list(checkin.attendees.all()) == [member]
        assert sorted(checkin.action_items.values_list("what", flat=True)) == ["Draft the data policy",
                                                                               "Publish the inventory"]
        assert checkin.progress_rows()[0][2] == 2


def test_owner_and_attendees_come_from_this_citys_team_only(client, world):
    with scope(city=world.city):
        with scope(city=world.other_city):  # the probe comes from city B
            foreign = world.other_city.memberships.first()
        client.force_login(world.users["coach"])
        response = client.post(url(world, "checkin_create"),
                               checkin_post(world, attendees=[foreign], items=[("X", foreign, None)]))
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert not CheckIn.objects.exists()
        page = client.get(url(world, "checkin_create")).content.decode()
        assert foreign.user.full_name not in page and world.users["member"].full_name in page


def test_a_far_future_date_is_refused_and_the_homes_and_dashboard_keep_working(client, world):
    with scope(city=world.city):
        client.force_login(world.users["coach"])
        far = datetime.date(9999, 12, 31)
        response = client.post(url(world, "checkin_create"), checkin_post(world, held_on=far))
        assert response.status_code == 200 and "cannot be dated in the future" in response.content.decode()
        assert not CheckIn.objects.exists()
        checkin = CheckInFactory(city=world.city)
        response = client.post(url(world, "checkin_edit", code=checkin.code), checkin_post(world, held_on=far))
        assert response.status_code == 200 and CheckIn.objects.get(pk=checkin.pk).held_on != far
        assert client.get(reverse("home")).status_code == 200
        client.force_login(world.users["staff"])
        assert client.get(reverse("dashboards:cohort", args=[world.cohort.slug])).status_code == 200


def test_empty_rows_are_skipped_and_half_filled_rows_explained(client, world):
    with scope(city=world.city):
        member = world.city.memberships.get(user=world.users["member"])
        client.force_login(world.users["coach"])
        response = client.post(url(world, "checkin_create"),
                               checkin_post(world, items=[("", member, None)], summary="Kept text"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Say what is to be done" in html and "Kept text" in html


def test_open_items_carry_into_the_next_checkin_until_closed(client, world):
    with scope(city=world.city):
        coach = world.users["coach"]
        member = world.city.memberships.get(user=world.users["member"])
        first = checkin_create(
            city=world.city, actor=coach, held_on=TODAY - datetime.timedelta(days=14), focus_goal=LearningGoal.LEAD,
            summary="First", items=[{"what": "Close me", "owner": member}, {"what": "Keep me", "owner": member}],
        )
        close_me, keep_me = first.action_items.order_by("what")
        action_item_set_status(item=close_me, actor=world.users["member"], status=ActionItem.Status.DONE)
        second = checkin_create(city=world.city, actor=coach, held_on=TODAY, focus_goal=LearningGoal.INVEST,
                                summary="Second")
        assert list(second.carried_items.all()) == [keep_me]
        action_item_set_status(item=keep_me, actor=world.users["member"], status=ActionItem.Status.DONE)
        third = checkin_create(city=world.city, actor=coach, held_on=TODAY + datetime.timedelta(days=1),
                               focus_goal=LearningGoal.INVEST, summary="Third")
        assert not third.carried_items.exists()
        client.force_login(world.users["member"])
        html = client.get(url(world, "log")).content.decode()
        # Shown once, under the check-in that carried it, behind a summary line (history on demand).
        assert "1 item carried forward from an earlier check-in" in html and "Keep me" in html


def test_team_member_closes_their_action_item(client, world):
    item = ActionItemFactory(checkin=CheckInFactory(city=world.city))
    client.force_login(world.users["member"])
    log_url = url(world, "log")
    response = client.post(url(world, "action_item_status", code=item.code), {"status": "done", "next": log_url})
    assert response.status_code == 302 and response["Location"] == log_url
    item.refresh_from_db()
    assert item.status == "done" and item.closed_at is not None


def test_status_update_ignores_an_offsite_next(client, world):
    item = ActionItemFactory(checkin=CheckInFactory(city=world.city))
    client.force_login(world.users["member"])
    response = client.post(url(world, "action_item_status", code=item.code),
                           {"status": "done", "next": "https://evil.example/"})
    assert response["Location"] == url(world, "log")


def test_another_citys_item_is_not_found(client, world):
    item = ActionItemFactory(checkin=CheckInFactory(city=world.other_city))
    client.force_login(world.users["member"])
    assert client.get(url(world, "action_item_status", code=item.code)).status_code == 404
    client.force_login(world.users["coach"])
    assert client.get(url(world, "checkin_detail", code=item.checkin.code)).status_code == 404


def test_coaching_log_queries_stay_constant(client, world):
    with scope(city=world.city):
        coach = world.users["coach"]

        def grow():
            MembershipFactory(city=world.city)
            members = list(world.city.memberships.all())
            checkin = checkin_create(
                city=world.city, actor=coach, held_on=TODAY, focus_goal=LearningGoal.LEAD, summary="S",
                attendees=members, items=[{"what": "A", "owner": members[0]}, {"what": "B", "owner": members[-1]}],
            )
            assert checkin.pk

        grow()
        for role, expected in (("coach", 7), ("member", 7)):
            client.force_login(world.users[role])
            assert_num_page_queries(client, url(world, "log"), expected=expected, grow=grow)


def test_coaching_log_pages_through_the_whole_history(client, world):
    with scope(city=world.city):
        member = world.city.memberships.get(user=world.users["member"])
        for n in range(12):
            checkin = CheckInFactory(city=world.city, held_on=TODAY - datetime.timedelta(days=7 * n),
                                     summary=f"Summary of week {n}.")
            checkin.attendees.add(member)
        oldest_item = ActionItemFactory(city=world.city, checkin=checkin, what="Still open from the start")
    client.force_login(world.users["coach"])
    first = client.get(url(world, "log")).content.decode()
    assert "Summary of week 0." in first and "Summary of week 9." in first and "Summary of week 10." not in first
    assert "Check-ins (12)" in first and "?page=2" in first and "1 / 2" in first
    assert member.user.full_name in first
    # Open items stay on top of every page, whichever check-in made them.
    assert first.count(f"<td>{oldest_item.what}</td>") == 1
    older = client.get(url(world, "log") + "?page=2").content.decode()
    assert "Summary of week 10." in older and "Summary of week 11." in older and "Summary of week 0." not in older
    assert older.count(f"<td>{oldest_item.what}</td>") == 2  # on top, and under the check-in that made it
    assert client.get(url(world, "log") + "?page=99").status_code == 200
