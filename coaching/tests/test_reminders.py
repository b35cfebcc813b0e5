import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from coaching import tasks
from coaching.models import CoachingReminder, MayorDecision
from coaching.services import reminders
from coaching.services.decisions import decision_decide

from .factories import ActionItemFactory, CheckInFactory, DecisionFactory, FeedbackFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def sent():
    """What the worker's outbox run sends now, added to everything sent so far."""
    from accelerator.outbox.services import outbox_deliver

    outbox_deliver()
    return mail.outbox


def recipients():
    return sorted(addr for m in sent() for addr in m.to)


def test_decision_steps():
    assert reminders.decision_step(TODAY, TODAY) == 0
    assert reminders.decision_step(days_ago(1), TODAY) == 1
    assert reminders.decision_step(days_ago(3), TODAY) == 2
    assert reminders.decision_step(days_ago(30), TODAY) == 3


def test_overdue_decision_is_reminded_once_per_step_and_flagged_to_the_coach(world, monkeypatch):
    decision = DecisionFactory(city=world.city, raised_by=world.users["coach"], due_on=days_ago(1))
    # The sweep and the step tasks run outside any scope: they open their own.
    assert tasks.sweep_reminders.delay().get() == 1
    assert recipients() == sorted([world.users["mayor"].email, world.users["coach"].email])
    assert decision.get_absolute_url() in sent()[0].body
    mail.outbox.clear()

    # The same sweep again, and the same step task delivered twice: nothing more is sent.
    assert tasks.sweep_reminders.delay().get() == 0
    tasks.send_reminder.delay(CoachingReminder.Kind.DECISION_OVERDUE, decision.pk, 1)
    tasks.send_reminder.delay(CoachingReminder.Kind.DECISION_OVERDUE, decision.pk, 1)
    assert sent() == []

    # Two days later the next step goes out, once.
    monkeypatch.setattr(timezone, "localdate", lambda: TODAY + datetime.timedelta(days=2))
    assert tasks.sweep_reminders.delay().get() == 1
    tasks.send_reminder.delay(CoachingReminder.Kind.DECISION_OVERDUE, decision.pk, 2)
    assert len(sent()) == 2
    with scopes_disabled():  # reads both cities' rows
        assert list(CoachingReminder.objects.order_by("step").values_list("step", flat=True)) == [1, 2]


def test_a_decided_request_is_not_reminded(world):
    decision = DecisionFactory(city=world.city, due_on=days_ago(5), options="")
    with scope(city=world.city):  # the mayor decides on the city's page
        decision_decide(decision=decision, actor=world.users["mayor"], note="Done.")
    mail.outbox.clear()
    # The sweep and the send run outside any scope: they open their own.
    assert tasks.sweep_reminders.delay().get() == 0
    assert reminders.send_reminder(kind=CoachingReminder.Kind.DECISION_OVERDUE, pk=decision.pk, step=3) is False
    assert mail.outbox == []


def test_a_failed_send_is_retried_by_the_outbox_not_claimed_again(world, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    from accelerator.outbox.services import outbox_deliver

    DecisionFactory(city=world.city, raised_by=world.users["coach"], due_on=days_ago(1))

    def broken(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    assert tasks.sweep_reminders.delay().get() == 1  # outside any scope: the sweep opens its own
    outbox_deliver()
    assert mail.outbox == []
    monkeypatch.undo()
    assert tasks.sweep_reminders.delay().get() == 0  # claimed once, with its messages queued
    outbox_deliver(now=timezone.now() + datetime.timedelta(minutes=5))  # after the backoff
    assert recipients() == sorted([world.users["mayor"].email, world.users["coach"].email])
    with scopes_disabled():  # reads both cities' rows
        assert CoachingReminder.objects.count() == 1


def test_overdue_action_item_reminds_owner_once(world):
    with scope(city=world.city):
        owner = world.city.memberships.get(user=world.users["member"])
    ActionItemFactory(checkin=CheckInFactory(city=world.city), owner=owner, due_on=days_ago(2))
    ActionItemFactory(checkin=CheckInFactory(city=world.city), owner=owner, due_on=days_ago(2), status="done")
    tasks.sweep_reminders.delay()  # outside any scope: the sweep opens its own
    tasks.sweep_reminders.delay()
    assert recipients() == sorted([world.users["member"].email, world.users["coach"].email])


def test_showcase_follow_up_comes_back_to_the_coach(world):
    feedback = FeedbackFactory(showcase__city=world.city, coach=world.users["coach"], follow_up_on=TODAY)
    FeedbackFactory(showcase__city=world.city, coach=world.users["coach"],
                    follow_up_on=TODAY + datetime.timedelta(days=3))
    tasks.sweep_reminders.delay()
    tasks.sweep_reminders.delay()
    [email] = sent()
    assert email.to == [world.users["coach"].email]
    assert feedback.showcase.get_absolute_url() in email.body


def test_a_reminder_for_a_deleted_row_does_nothing(world):
    assert reminders.send_reminder(kind=CoachingReminder.Kind.DECISION_OVERDUE, pk=999999, step=1) is False
    assert not MayorDecision.objects.exists()
