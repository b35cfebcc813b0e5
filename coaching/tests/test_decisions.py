import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from accelerator.errors import RuleViolation
from coaching.models import MayorDecision
from coaching.services.decisions import decision_decide, decision_raise

from .factories import DecisionFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def url(world, name, **kwargs):
    return reverse(f"coaching:{name}", kwargs={"city_slug": world.city.slug, **kwargs})


def test_coach_raises_and_mayor_decides_from_the_home_page(client, world, django_capture_on_commit_callbacks):
    with scope(city=world.city):
        client.force_login(world.users["coach"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url(world, "decision_create"), {
                "question": "Publish the 311 data?", "context": "Residents asked.",
                "options": "Publish now\nWait a quarter",
                "due_on": (TODAY + datetime.timedelta(days=10)).isoformat(),
            })
        decision = MayorDecision.objects.get(city=world.city)
        assert response.status_code == 302 and response["Location"] == decision.get_absolute_url()
        [email] = mail.outbox  # sent by the outbox's task once the request's transaction committed
        assert email.to == [world.users["mayor"].email]
        assert email.subject == "[Accelerator] A decision is waiting for you: Publish the 311 data?"
        assert settings.SITE_URL + decision.get_absolute_url() in email.body

        mail.outbox.clear()
        client.force_login(world.users["mayor"])
        home = client.get(reverse("dashboards:city_home", kwargs={"city_slug": world.city.slug})).content.decode()
        assert "Decisions waiting for you" in home and "Publish the 311 data?" in home
        decide_url = url(world, "decision_decide", code=decision.code)
        assert decide_url in home
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(decide_url,
                                   {"chosen_option": "Publish now", "decision_note": "Go ahead, with a notice."})
        assert response.status_code == 302
        decision.refresh_from_db()
        assert decision.status == MayorDecision.Status.DECIDED and decision.decided_by == world.users["mayor"]
        assert decision.chosen_option == "Publish now"
        assert [m.to for m in mail.outbox] == [[world.users["coach"].email]]
        assert "Go ahead" in mail.outbox[0].body and decision.get_absolute_url() in mail.outbox[0].body
        home = client.get(reverse("dashboards:city_home", kwargs={"city_slug": world.city.slug})).content.decode()
        assert "Nothing is waiting for your decision." in home


def test_team_member_can_raise_and_does_not_see_the_mayors_block(client, world):
    client.force_login(world.users["member"])
    response = client.post(url(world, "decision_create"), {
        "question": "Hire a data analyst?", "context": "Budget cycle.", "options": "",
        "due_on": (TODAY + datetime.timedelta(days=3)).isoformat(),
    })
    assert response.status_code == 302
    home = client.get(reverse("dashboards:city_home", kwargs={"city_slug": world.city.slug})).content.decode()
    assert "Decisions waiting for you" not in home


def test_a_past_due_date_is_refused_next_to_the_field(client, world):
    coach = world.users["coach"]
    client.force_login(coach)
    # Yesterday where the coach is: in the evening west of UTC, the UTC date is already tomorrow.
    yesterday = timezone.localdate(timezone=zoneinfo.ZoneInfo(coach.time_zone)) - datetime.timedelta(days=1)
    response = client.post(url(world, "decision_create"), {
        "question": "Q?", "context": "C", "options": "", "due_on": yesterday.isoformat(),
    })
    assert response.status_code == 200
    assert "cannot be in the past" in response.content.decode()
    assert not MayorDecision.objects.exists()


def test_a_decision_is_made_once(world):
    with scope(city=world.city):
        decision = DecisionFactory(city=world.city, options="")
        decision_decide(decision=decision, actor=world.users["mayor"], note="Yes.")
        with pytest.raises(RuleViolation):
            decision_decide(decision=decision, actor=world.users["mayor"], note="No.")
        decision.refresh_from_db()
        assert decision.decision_note == "Yes."


def test_a_withdrawal_read_before_the_mayor_decided_does_not_overwrite_the_decision(world):
    with scope(city=world.city):
        from coaching.services.decisions import decision_withdraw

        decision = DecisionFactory(city=world.city, options="")
        stale = MayorDecision.objects.get(pk=decision.pk)  # the coach's page, loaded while still pending
        decision_decide(decision=decision, actor=world.users["mayor"], note="Yes, go ahead.")
        with pytest.raises(RuleViolation):
            decision_withdraw(decision=stale, actor=world.users["coach"])
        decision.refresh_from_db()
        assert decision.status == MayorDecision.Status.DECIDED and decision.decision_note == "Yes, go ahead."


def test_the_mayor_must_write_a_note_and_pick_a_listed_option(client, world):
    decision = DecisionFactory(city=world.city, options="A\nB")
    client.force_login(world.users["mayor"])
    response = client.post(url(world, "decision_decide", code=decision.code),
                           {"chosen_option": "C", "decision_note": ""})
    assert response.status_code == 200
    decision.refresh_from_db()
    assert decision.is_pending


def test_only_the_mayor_decides(world):
    with scope(city=world.city):
        decision = decision_raise(city=world.city, actor=world.users["coach"], question="Q", context="C",
                                  due_on=TODAY + datetime.timedelta(days=1))
        assert not world.users["member"].has_perm("coaching.decide", world.city)
        assert not world.users["coach"].has_perm("coaching.decide", world.city)
        assert world.users["mayor"].has_perm("coaching.decide", world.city)
        assert decision.is_pending


def test_decisions_page_flags_overdue(client, world):
    DecisionFactory(city=world.city, due_on=TODAY - datetime.timedelta(days=2), question="Late one")
    client.force_login(world.users["member"])
    html = client.get(url(world, "decisions")).content.decode()
    assert "Late one" in html and "overdue" in html


def test_a_withdrawn_request_is_no_longer_reminded(client, world):
    from coaching import tasks

    decision = DecisionFactory(city=world.city, due_on=TODAY - datetime.timedelta(days=2))
    client.force_login(world.users["member"])
    response = client.post(url(world, "decision_withdraw", code=decision.code))
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == MayorDecision.Status.WITHDRAWN
    assert tasks.sweep_reminders.delay().get() == 0
    response = client.post(url(world, "decision_withdraw", code=decision.code), follow=True)
    assert "Only a decision that is still waiting" in response.content.decode()


def test_a_decision_needed_before_its_checkpoint_is_flagged(client, world):
    from agenda.models import Session
    from agenda.tests.factories import SessionFactory, in_days

    checkpoint = SessionFactory(cohort=world.cohort, city=world.city, kind=Session.Kind.CHECKPOINT,
                                audience=Session.Audience.CITY, title="Mayor checkpoint 2", starts_at=in_days(20))
    early = DecisionFactory(city=world.city, session=checkpoint,
                            due_on=timezone.localdate() + datetime.timedelta(days=5))
    in_time = DecisionFactory(city=world.city, session=checkpoint,
                              due_on=timezone.localdate() + datetime.timedelta(days=25))
    assert early.due_before_checkpoint and not in_time.due_before_checkpoint
    client.force_login(world.users["coach"])
    listing = client.get(url(world, "decisions")).content.decode()
    assert listing.count("before its checkpoint") == 1
    detail = client.get(url(world, "decision_detail", code=early.code)).content.decode()
    assert "before the checkpoint on" in detail
    later = client.get(url(world, "decision_detail", code=in_time.code)).content.decode()
    assert "before the checkpoint on" not in later
