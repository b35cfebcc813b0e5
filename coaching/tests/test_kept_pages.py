"""The coaching pages keep their rendered content (coaching.page_cache): each change of what a
page shows, made through its service, makes a new key, so the page shows it at once; and each
viewer gets the content their rights allow, never another's kept copy."""

import datetime
import zoneinfo
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accelerator.tests.queries import count_queries
from coaching.models import ActionItem, Showcase, ShowcaseFeedback
from coaching.services.checkins import action_item_set_status, checkin_create, checkin_update
from coaching.services.decisions import decision_decide, decision_raise, decision_withdraw
from coaching.services.showcases import evidence_remove, showcase_give_feedback, showcase_submit, showcase_update
from cohorts.models import DashboardRow

from .factories import ActionItemFactory, CheckInFactory, DecisionFactory, EvidenceFileFactory, ShowcaseFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def rows(world):
    """The cities' dashboard rows, whose version keys the city's coaching pages (as in production,
    where the dashboard's refresh and sweep create them)."""
    with scopes_disabled():
        DashboardRow.objects.create(city=world.city)
        DashboardRow.objects.create(city=world.other_city)


def city_url(world, name, **kwargs):
    return reverse(f"coaching:{name}", kwargs={"city_slug": world.city.slug, **kwargs})


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def team_member(world):
    return world.city.memberships.get(user=world.users["member"])


def test_the_log_follows_every_change_of_check_ins_and_items(client, world, rows):
    coach = world.users["coach"]
    with scope(city=world.city):
        checkin = CheckInFactory(city=world.city, coach=coach, summary="First talk")
        item = ActionItemFactory(checkin=checkin, owner=team_member(world), what="Publish the inventory")
    client.force_login(coach)
    url = city_url(world, "log")
    html = page(client, url)
    assert "First talk" in html and "Publish the inventory" in html
    assert count_queries(client, url) == 4  # kept: the session, the viewer, the city, the version

    with scope(city=world.city):
        checkin_update(checkin=checkin, actor=coach, summary="Second version of the talk")
    assert "Second version of the talk" in page(client, url)

    with scope(city=world.city):
        action_item_set_status(item=item, actor=coach, status=ActionItem.Status.DONE)
    assert "No open action items." in page(client, url)

    with scope(city=world.city):
        checkin_create(city=world.city, actor=coach, held_on=TODAY, focus_goal="lead", summary="A later talk",
                       attendees=[team_member(world)])
    html = page(client, url)
    assert "A later talk" in html and "Check-ins (2)" in html


def test_the_log_shows_overdue_items_as_the_days_pass(client, world, rows):
    coach = world.users["coach"]
    tomorrow = timezone.localdate(timezone=zoneinfo.ZoneInfo(coach.time_zone)) + datetime.timedelta(days=1)
    with scope(city=world.city):
        checkin = CheckInFactory(city=world.city)
        ActionItemFactory(checkin=checkin, due_on=tomorrow)  # in the coach's own calendar
    client.force_login(coach)
    url = city_url(world, "log")
    assert "overdue" not in page(client, url)
    real = timezone.localdate

    def two_days_later(value=None, timezone=None):
        return real(value, timezone) + datetime.timedelta(days=2) if value is None else real(value, timezone)

    with mock.patch("django.utils.timezone.localdate", two_days_later):
        assert "overdue" in page(client, url)


def test_private_notes_kept_for_the_coach_never_reach_the_team(client, world, rows):
    with scope(city=world.city):
        checkin = CheckInFactory(city=world.city, private_notes="Only for coaches")
    for name in ("log", "checkin_detail"):
        url = city_url(world, name, **({"code": checkin.code} if name == "checkin_detail" else {}))
        client.force_login(world.users["coach"])
        assert "Only for coaches" in page(client, url)
        client.force_login(world.users["member"])
        assert "Only for coaches" not in page(client, url)


def test_one_check_in_follows_its_changes(client, world, rows):
    coach = world.users["coach"]
    with scope(city=world.city):
        checkin = CheckInFactory(city=world.city, coach=coach, summary="First talk")
        item = ActionItemFactory(checkin=checkin, what="Publish the inventory")
    client.force_login(coach)
    url = city_url(world, "checkin_detail", code=checkin.code)
    html = page(client, url)
    assert "First talk" in html and "Open" in html
    assert count_queries(client, url) == 4

    with scope(city=world.city):
        checkin_update(checkin=checkin, actor=coach, summary="Corrected summary",
                       held_on=TODAY - datetime.timedelta(days=1), attendees=[team_member(world)])
    html = page(client, url)
    with scope(city=world.city):
        assert "Corrected summary" in html and team_member(world).user.full_name in html
    assert timezone.localdate().strftime("%Y") in html

    with scope(city=world.city):
        action_item_set_status(item=item, actor=coach, status=ActionItem.Status.DROPPED)
    assert "Dropped" in page(client, url)
    assert client.get(city_url(world, "checkin_detail", code="nosuchcode")).status_code == 404


def test_the_decisions_pages_follow_raising_deciding_and_withdrawing(client, world, rows):
    coach, mayor = world.users["coach"], world.users["mayor"]
    client.force_login(mayor)
    url = city_url(world, "decisions")
    assert "Adopt the open data policy?" not in page(client, url)
    assert count_queries(client, url) == 4

    with scope(city=world.city):
        decision = decision_raise(city=world.city, actor=coach, question="Adopt the open data policy?",
                                  context="Context", options="Yes\nNo", due_on=TODAY + datetime.timedelta(days=3))
        other = DecisionFactory(city=world.city, raised_by=coach)
    html = page(client, url)
    assert "Adopt the open data policy?" in html
    detail = city_url(world, "decision_detail", code=decision.code)
    html = page(client, detail)
    assert reverse("coaching:decision_decide", kwargs={"city_slug": world.city.slug, "code": decision.code}) in html
    assert count_queries(client, detail) == 4

    with scope(city=world.city):
        decision_decide(decision=decision, actor=mayor, note="We publish in May.", chosen_option="Yes")
    html = page(client, detail)
    assert "We publish in May." in html and "Decided" in html and "/decide/" not in html

    # The team sees the withdraw form (with their own token); the coach withdraws.
    with scope(city=world.city):
        other_url = city_url(world, "decision_detail", code=other.code)
    client.force_login(coach)
    html = page(client, other_url)
    assert "csrfmiddlewaretoken" in html and "Withdraw the request" in html
    with scope(city=world.city):
        decision_withdraw(decision=other, actor=coach)
    assert "Withdraw the request" not in page(client, other_url)
    assert "Withdrawn" in page(client, url)


def test_the_decisions_page_shows_each_viewer_their_own_buttons(client, world, rows):
    with scope(city=world.city):
        DecisionFactory(city=world.city)
    url = city_url(world, "decisions")
    client.force_login(world.users["member"])
    html = page(client, url)
    assert "Ask the mayor for a decision" in html and "/decide/" not in html
    client.force_login(world.users["mayor"])
    html = page(client, url)
    assert "Ask the mayor for a decision" not in html and "/decide/" in html


def test_one_showcase_follows_its_changes_evidence_and_feedback(client, world, rows):
    coach, member = world.users["coach"], world.users["member"]
    with scope(city=world.city):
        showcase = ShowcaseFactory(city=world.city, created_by=member, title="Weekly stat")
        evidence = EvidenceFileFactory(showcase=showcase, original_name="minutes.pdf")
    url = city_url(world, "showcase_detail", code=showcase.code)
    client.force_login(coach)
    html = page(client, url)
    assert "Weekly stat" in html and "minutes.pdf" in html
    assert count_queries(client, url) == 4

    with scope(city=world.city):
        showcase_update(showcase=showcase, actor=member, title="Weekly performance stat")
    assert "Weekly performance stat" in page(client, url)

    with scope(city=world.city):
        evidence_remove(evidence=evidence, actor=member)
    assert "minutes.pdf" not in page(client, url)

    # The team's draft shows their forms, each with the viewer's own token: never kept.
    client.force_login(member)
    html = page(client, url)
    assert "Submit to the coach" in html and "csrfmiddlewaretoken" in html

    with scope(city=world.city):
        showcase_submit(showcase=showcase, actor=member)
    client.force_login(coach)
    html = page(client, url)
    assert "Give feedback" in html and "No feedback yet." in html

    with scope(city=world.city):
        showcase.refresh_from_db()
        showcase_give_feedback(showcase=showcase, actor=coach, what_works="Clear owners", to_strengthen="More",
                               sustained=ShowcaseFeedback.Sustained.PARTLY)
    assert "Clear owners" in page(client, url)


def test_the_cohorts_showcases_follow_each_change(client, world, rows):
    coach, member = world.users["coach"], world.users["member"]
    with scopes_disabled():
        showcase = ShowcaseFactory(city=world.city, created_by=member, title="Weekly stat")
    client.force_login(world.users["staff"])
    url = reverse("coaching:cohort_showcases", kwargs={"cohort_slug": world.cohort.slug})
    assert "Weekly stat" in page(client, url)
    assert count_queries(client, url) == 4

    with scope(city=world.city):
        showcase_update(showcase=showcase, actor=member, title="Weekly performance stat")
    assert "Weekly performance stat" in page(client, url)

    with scope(city=world.city):
        showcase_submit(showcase=showcase, actor=member)
    assert str(Showcase.Status.SUBMITTED.label) in page(client, url)

    with scope(city=world.city):
        showcase.refresh_from_db()
        showcase_give_feedback(showcase=showcase, actor=coach, what_works="w", to_strengthen="s",
                               sustained=ShowcaseFeedback.Sustained.PARTLY,
                               follow_up_on=TODAY + datetime.timedelta(days=30))
    assert "Partly" in page(client, url)

    with scopes_disabled():
        ShowcaseFactory(city=world.other_city, title="Another city's routine")
    assert "Another city&#x27;s routine" in page(client, url)


def test_the_citys_showcases_follow_each_change_and_each_viewers_rights(client, world, rows):
    member = world.users["member"]
    with scope(city=world.city):
        showcase = ShowcaseFactory(city=world.city, created_by=member, title="Weekly stat")
        evidence = EvidenceFileFactory(showcase=showcase)
    url = city_url(world, "showcases")
    client.force_login(member)
    html = page(client, url)
    assert "Weekly stat" in html and "<td>1</td>" in html and "Prepare a showcase" in html
    assert count_queries(client, url) == 4

    with scope(city=world.city):
        showcase_update(showcase=showcase, actor=member, title="Weekly performance stat")
    assert "Weekly performance stat" in page(client, url)

    with scope(city=world.city):
        evidence_remove(evidence=evidence, actor=member)
    assert "<td>0</td>" in page(client, url)

    with scope(city=world.city):
        ShowcaseFactory(city=world.city, title="Open budget routine")
    assert "Open budget routine" in page(client, url)

    client.force_login(world.users["coach"])
    assert "Prepare a showcase" not in page(client, url)
    client.force_login(world.users["staff"])
    assert "All showcases of" in page(client, url)


def test_an_edit_in_the_admin_shows_on_the_kept_pages_at_once(client, world, rows, rf):
    from django.contrib import admin

    from coaching.models import CheckIn, EvidenceFile

    with scope(city=world.city):
        checkin = CheckInFactory(city=world.city, summary="First talk")
        showcase = ShowcaseFactory(city=world.city, status=Showcase.Status.SUBMITTED)
        evidence = EvidenceFileFactory(showcase=showcase, original_name="minutes.pdf")
    client.force_login(world.users["coach"])
    log, detail = city_url(world, "log"), city_url(world, "showcase_detail", code=showcase.code)
    assert "First talk" in page(client, log) and "minutes.pdf" in page(client, detail)
    request = rf.post("/admin/")
    request.user = world.users["staff"]
    with scopes_disabled():
        checkin.summary = "Corrected in the admin"
        admin.site._registry[CheckIn].save_model(request, checkin, None, True)
        evidence.original_name = "minutes-2026.pdf"
        admin.site._registry[EvidenceFile].save_model(request, evidence, None, True)
    assert "Corrected in the admin" in page(client, log)
    assert "minutes-2026.pdf" in page(client, detail)
