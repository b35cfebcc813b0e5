"""Every message kind, triggered by its workflow step: who gets it, in their language (Spanish,
then Brazilian Portuguese) and time zone (São Paulo), never in the actor's.

Each case below takes the step through its service, runs the outbox's sender and returns the
people it expects. A kind registered without a case here fails `test_every_kind_has_a_case`."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from accelerator.outbox.context import load, load_rows
from accelerator.outbox.models import OutgoingMessage
from accelerator.outbox.registry import message_kind, registered_messages
from accelerator.outbox.services import outbox_deliver, outbox_digests_send, render
from accelerator.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ZONE = "America/Sao_Paulo"
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
CASES = {}


def case(*kinds):
    def register(function):
        for kind in kinds:
            CASES[kind] = function
        return function
    return register


@pytest.fixture(params=["es", "pt-br"])
def everyone_speaks(request, world):
    """Every person and city of the world in one language (the actor's included) and zone."""
    with scopes_disabled():
        for user in [u for u in world.users.values() if u is not None] + [world.mayor_b]:
            user.language, user.time_zone = request.param, ZONE
            user.save(update_fields=["language", "time_zone"])
        for city in (world.city, world.other_city):
            city.language, city.time_zone = request.param, ZONE
            city.save(update_fields=["language", "time_zone"])
    world.language = request.param
    return world


def u(world, *names):
    return {world.users[name] if name != "mayor_b" else world.mayor_b for name in names}


# --- the project package -------------------------------------------------------------------


@case("accelerator.digest")
def _digest(world, client):
    from strategy.services.comments import thread_start
    from strategy.tests.factories import section

    member = world.users["member"]
    member.email_digest = True
    member.save(update_fields=["email_digest"])
    with scope(city=world.city):
        strategy = section(world.city).strategy
        thread_start(city=world.city, actor=world.users["coach"], strategy=strategy, part="vision", body="Who?")
    outbox_deliver()  # the mayor's copy goes at once; the member's waits
    mail.outbox.clear()
    late = timezone.now().replace(hour=23)  # past the digest hour in São Paulo
    assert outbox_digests_send(now=late) == 1
    outbox_deliver(now=late)
    return {member}


@case("account.message")
def _account(world, client):
    client.post(reverse("account_reset_password"), {"email": world.users["member"].email},
                HTTP_ACCEPT_LANGUAGE=world.language)
    return u(world, "member")


@case("people.invited")
def _invited(world, client):
    from cohorts.models import Role
    from cohorts.services.invitations import invitation_create

    with scope(city=world.city):
        invitation_create(email="nova@example.org", full_name="Nova Pessoa", kind="city", city=world.city,
                          role=Role.POLICY, actor=world.users["staff"])
    return {"nova@example.org"}


@case("people.role_added")
def _role_added(world, client):
    from cohorts.services.invitations import invitation_create

    person = UserFactory(language=world.language, time_zone=ZONE)
    invitation_create(email=person.email, full_name=str(person), kind="coach", actor=world.users["staff"])
    return {person}


# --- the program calendar ------------------------------------------------------------------


def _session(world, **fields):
    from agenda.tests.factories import create_session

    return create_session(world, **fields)


@scopes_disabled()
def _told_long_ago(session):
    session.invitations.update(created_at=timezone.now() - 30 * DAY)


@case("agenda.session_invited")
def _session_invited(world, client):
    from agenda.services.reminders import reminders_queue

    _session(world, days_ahead=20)
    reminders_queue()
    return u(world, "member", "outsider")


@case("agenda.session_reminder")
def _session_reminder(world, client):
    from agenda.services.reminders import reminders_queue

    session = _session(world, days_ahead=1)
    _told_long_ago(session)
    now = session.starts_at - 20 * HOUR
    reminders_queue(now=now)
    outbox_deliver(now=now)
    return u(world, "member", "outsider")


@case("agenda.session_changed")
def _session_changed(world, client):
    from agenda.services.sessions import session_update

    session = _session(world, days_ahead=5)
    _told_long_ago(session)
    session_update(session=session, actor=world.users["staff"], starts_at=session.starts_at + DAY,
                   ends_at=session.ends_at + DAY)
    return u(world, "member", "outsider")


@case("agenda.session_cancelled")
def _session_cancelled(world, client):
    from agenda.services.sessions import session_cancel

    session = _session(world, days_ahead=5)
    _told_long_ago(session)
    session_cancel(session=session, actor=world.users["staff"])
    return u(world, "member", "outsider")


@case("agenda.session_nudge")
def _session_nudge(world, client):
    from agenda.services.session_invitations import invitations_nudge

    session = _session(world, days_ahead=5)
    _told_long_ago(session)
    invitations_nudge(session=session, actor=world.users["staff"])
    return u(world, "member", "outsider")


@case("agenda.apology")
def _apology(world, client):
    from agenda.models import Response
    from agenda.services.session_invitations import invitation_respond

    session = _session(world, days_ahead=5)
    _told_long_ago(session)
    with scope(city=world.city):
        invitation = session.invitations.get(person=world.users["member"])
        invitation_respond(invitation=invitation, actor=world.users["member"], response=Response.APOLOGY,
                           reason="Budget hearing that day.")
    return u(world, "coach")


@case("agenda.absence_warning")
def _absence(world, client):
    from agenda.models import Attendance
    from agenda.services.absences import absences_sweep
    from agenda.tests.factories import SessionFactory, in_days

    with scopes_disabled():
        for n in range(2):
            session = SessionFactory(cohort=world.cohort, starts_at=in_days(-20 + 3 * n))
            Attendance.objects.create(session=session, person=world.users["member"], city=world.city,
                                      status=Attendance.Status.ABSENT)
    absences_sweep()
    return u(world, "coach", "staff")


@case("agenda.feedback_request")
def _feedback_request(world, client):
    from agenda.models import Attendance, Session
    from agenda.services.feedback import feedback_requests_queue

    session = _session(world, days_ahead=-2, audience=Session.Audience.MAYORS_AND_TEAMS)
    with scopes_disabled():
        for person, city, status in ((world.users["member"], world.city, Attendance.Status.PRESENT),
                                     (world.mayor_b, world.other_city, Attendance.Status.LATE),
                                     (world.users["mayor"], world.city, Attendance.Status.ABSENT)):
            Attendance.objects.create(session=session, person=person, city=city, status=status)
    feedback_requests_queue()
    return u(world, "member", "mayor_b")


# --- coaching --------------------------------------------------------------------------------


def _membership(world, name):
    with scope(city=world.city):
        return world.city.memberships.get(user=world.users[name])


@case("coaching.checkin_logged", "coaching.action_item_assigned")
def _checkin(world, client, kind):
    from coaching.services.checkins import checkin_create

    owner = _membership(world, "member")
    with scope(city=world.city):
        checkin_create(city=world.city, actor=world.users["coach"], held_on=timezone.localdate(), focus_goal="lead",
                       summary="We agreed the data inventory.", private_notes="Only for coaches.",
                       items=[{"what": "Draft the inventory", "owner": owner,
                               "due_on": timezone.localdate() + 7 * DAY}])
    return u(world, "mayor", "member") if kind == "coaching.checkin_logged" else u(world, "member")


@case("coaching.action_overdue")
def _action_overdue(world, client):
    from coaching import tasks
    from coaching.tests.factories import ActionItemFactory, CheckInFactory

    with scopes_disabled():
        ActionItemFactory(checkin=CheckInFactory(city=world.city), owner=_membership(world, "member"),
                          due_on=timezone.localdate() - 2 * DAY)
    tasks.sweep_reminders.delay()
    return u(world, "member", "coach")


def _decision(world, **fields):
    from coaching.services.decisions import decision_raise

    with scope(city=world.city):
        return decision_raise(city=world.city, actor=world.users["coach"], question="Publish the 311 data?",
                              context="Residents asked.", due_on=timezone.localdate() + 10 * DAY, **fields)


@case("coaching.decision_requested")
def _decision_requested(world, client):
    _decision(world)
    return u(world, "mayor")


@case("coaching.decision_made")
def _decision_made(world, client):
    from coaching.services.decisions import decision_decide

    decision = _decision(world)
    outbox_deliver()
    mail.outbox.clear()
    with scope(city=world.city):
        decision_decide(decision=decision, actor=world.users["mayor"], note="Yes, with a notice.")
    return u(world, "coach")


@case("coaching.decision_withdrawn")
def _decision_withdrawn(world, client):
    from coaching.services.decisions import decision_withdraw

    decision = _decision(world)
    outbox_deliver()
    mail.outbox.clear()
    with scope(city=world.city):
        decision_withdraw(decision=decision, actor=world.users["coach"])
    return u(world, "mayor")


@case("coaching.decision_overdue", "coaching.decision_overdue_coach")
def _decision_overdue(world, client, kind):
    from coaching import tasks
    from coaching.tests.factories import DecisionFactory

    with scopes_disabled():
        DecisionFactory(city=world.city, raised_by=world.users["coach"], due_on=timezone.localdate() - DAY)
    tasks.sweep_reminders.delay()
    return u(world, "mayor") if kind == "coaching.decision_overdue" else u(world, "coach")


@case("coaching.showcase_submitted")
def _showcase_submitted(world, client):
    from coaching.services.showcases import showcase_submit
    from coaching.tests.factories import ShowcaseFactory

    with scopes_disabled():
        showcase = ShowcaseFactory(city=world.city, created_by=world.users["member"])
    with scope(city=world.city):
        showcase_submit(showcase=showcase, actor=world.users["member"])
    return u(world, "coach")


@case("coaching.feedback")
def _feedback(world, client):
    from coaching.services.showcases import showcase_give_feedback, showcase_submit
    from coaching.tests.factories import ShowcaseFactory

    with scopes_disabled():
        showcase = ShowcaseFactory(city=world.city, created_by=world.users["member"])
    with scope(city=world.city):
        showcase_submit(showcase=showcase, actor=world.users["member"])
        outbox_deliver()
        mail.outbox.clear()
        showcase_give_feedback(showcase=showcase, actor=world.users["coach"], what_works="Clear owners.",
                               to_strengthen="Minutes.", sustained="yes")
    return u(world, "mayor", "member")


@case("coaching.showcase_follow_up")
def _follow_up(world, client):
    from coaching import tasks
    from coaching.tests.factories import FeedbackFactory

    with scopes_disabled():
        FeedbackFactory(showcase__city=world.city, coach=world.users["coach"], follow_up_on=timezone.localdate())
    tasks.sweep_reminders.delay()
    return u(world, "coach")


# --- the convening ---------------------------------------------------------------------------


def _convening(world):
    from convening.tests.factories import make_convening

    with scopes_disabled():
        return make_convening(world.cohort)


@case("convening.code")
def _code(world, client):
    from convening.services.enforcement import convening_enforce

    convening = _convening(world)
    convening_enforce(now=convening.starts_at - 10 * DAY)
    return u(world, "mayor", "mayor_b")


@case("convening.reminder", "convening.staff_live")
def _convening_reminder(world, client, kind):
    from convening.services.enforcement import convening_enforce
    from convening.tests.factories import during

    convening = _convening(world)
    convening_enforce(now=during(convening.test_days[0], 1))
    return u(world, "mayor", "mayor_b") if kind == "convening.reminder" else u(world, "staff")


@case("convening.staff_review", "convening.eligibility_pending")
def _settled(world, client, kind):
    from convening.services.enforcement import convening_enforce
    from convening.tests.factories import after

    convening = _convening(world)
    convening_enforce(now=after(convening))
    outbox_deliver(now=after(convening))
    if kind == "convening.staff_review":
        return u(world, "staff")
    return u(world, "mayor", "member", "mayor_b", "outsider")


@case("convening.eligibility_decided")
def _decided(world, client):
    from convening.models import EligibilityReview
    from convening.services.eligibility import eligibility_decide
    from convening.services.enforcement import convening_enforce
    from convening.tests.factories import after

    convening = _convening(world)
    convening_enforce(now=after(convening))
    with scopes_disabled():
        review = EligibilityReview.objects.get(city=world.city)
    eligibility_decide(review=review, actor=world.users["staff"], state=EligibilityReview.State.EXCUSED,
                       reason="The mayor was at a flood emergency; confirmed by the city.")
    return u(world, "mayor", "member")


# --- the strategy ------------------------------------------------------------------------------


def _plan(world):
    from strategy.tests.factories import build_plan

    with scope(city=world.city):
        return build_plan(world.city)


def _steps(world, *steps):
    from strategy.services.review import strategy_transition

    actors = {"submit": "member", "request_changes": "coach", "endorse": "coach", "approve": "mayor",
              "amend": "member"}
    with scope(city=world.city):
        for name in steps:
            outbox_deliver()
            mail.outbox.clear()
            strategy_transition(city=world.city, actor=world.users[actors[name]], name=name,
                                message="Name an owner for each action." if name == "request_changes" else "")


@case("strategy.submit")
def _submit(world, client):
    _plan(world)
    _steps(world, "submit")
    return u(world, "coach")


@case("strategy.request_changes")
def _request_changes(world, client):
    _plan(world)
    _steps(world, "submit", "request_changes")
    return u(world, "mayor", "member")


@case("strategy.endorse")
def _endorse(world, client):
    _plan(world)
    _steps(world, "submit", "endorse")
    return u(world, "mayor", "member")


@case("strategy.approve")
def _approve(world, client):
    _plan(world)
    _steps(world, "submit", "endorse", "approve")
    return u(world, "member", "coach")


@case("strategy.amend")
def _amend(world, client):
    _plan(world)
    _steps(world, "submit", "endorse", "approve", "amend")
    return u(world, "coach", "mayor")


@case("strategy.comment", "strategy.reply")
def _comment(world, client, kind):
    from strategy.services.comments import thread_reply, thread_start
    from strategy.tests.factories import section

    with scope(city=world.city):
        strategy = section(world.city).strategy
        thread = thread_start(city=world.city, actor=world.users["coach"], strategy=strategy, part="governance",
                              body="Who chairs the governance group?")
        if kind == "strategy.comment":
            return u(world, "mayor", "member")
        outbox_deliver()
        mail.outbox.clear()
        thread_reply(city=world.city, actor=world.users["member"], thread=thread, body="The city manager.")
    return u(world, "coach")


# --- announcements ------------------------------------------------------------------------------


@case("announcements.message")
def _announcement(world, client):
    from announcements.models import AudienceRole
    from announcements.services import announcement_create, announcement_send

    announcement = announcement_create(cohort=world.cohort, actor=world.users["staff"], subject="Showcase day",
                                       body="Bring your team.", cities=[], roles=[AudienceRole.MAYOR],
                                       session=None, session_filter=[])
    announcement_send(announcement=announcement, actor=world.users["staff"])
    return u(world, "mayor", "mayor_b")


# ---------------------------------------------------------------------------------------------

# Subjects written by a person (staff, the account library's request) are the same in every language.
WRITTEN_SUBJECTS = {"account.message", "announcements.message"}


def test_every_kind_has_a_case():
    assert sorted(set(registered_messages()) - set(CASES)) == []


@pytest.mark.parametrize("kind", sorted(CASES))
def test_the_step_tells_the_right_people_in_their_language_and_zone(kind, everyone_speaks, client):
    world = everyone_speaks
    trigger = CASES[kind]
    expected = trigger(world, client, kind) if trigger.__code__.co_argcount == 3 else trigger(world, client)
    outbox_deliver()
    sent = [m for m in mail.outbox if m.extra_headers.get("X-Accelerator-Kind") == kind]
    expected_addresses = sorted(p if isinstance(p, str) else p.email for p in expected)
    assert sorted(m.to[0] for m in sent) == expected_addresses
    spec = message_kind(kind)
    with scopes_disabled():
        rows = {r.to_email: r for r in OutgoingMessage.objects.filter(kind=kind, status=OutgoingMessage.Status.SENT)}
    for message in sent:
        row = rows[message.to[0]]
        assert row.language == world.language and row.time_zone == ZONE  # the recipient's, not the actor's
        html = message.alternatives[0][0]
        assert f'<html lang="{world.language}">' in html
        # The subject reads in Portuguese: it is not the English one.
        english = OutgoingMessage(**{f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields})
        english.language = "en"
        with scopes_disabled():
            context = load(row.context, load_rows([row.context]))
            english_subject = render(english, spec, context)[0]
        assert message.subject.startswith("[Accelerator] ")
        if kind not in WRITTEN_SUBJECTS:
            assert message.subject != english_subject, message.subject
        with translation.override(world.language):
            assert str(spec.why) in html or str(spec.why).replace("'", "&#x27;") in html
        if kind.startswith("agenda.session") or kind == "agenda.feedback_request":
            assert ZONE in message.body  # the time in the reader's own zone is named
