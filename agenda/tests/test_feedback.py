"""Feedback after each session: asked of those who came, the day after, once; answered on a page
only they can open; summarised per session, per learning goal and in a CSV."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accelerator.tests.queries import assert_num_page_queries
from agenda.models import Attendance, Session, SessionFeedback
from agenda.services.feedback import feedback_give, feedback_requests_queue
from agenda.tests.factories import coaching_session, create_session
from cohorts.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
KIND = "agenda.feedback_request"


@scopes_disabled()
def mark(session, person, status, city):
    return Attendance.objects.create(session=session, person=person, city=city, status=status)


def past_workshop(world, days_ago=2, **fields):
    fields.setdefault("audience", Session.Audience.MAYORS_AND_TEAMS)
    fields.setdefault("learning_goal", "lead")
    return create_session(world, days_ahead=-days_ago, **fields)


def test_those_who_came_are_asked_the_day_after_once_in_their_language(world, outbox):
    session = past_workshop(world, days_ago=0, hours=1)
    member, mayor, mayor_b, member_b = (world.users["member"], world.users["mayor"], world.mayor_b,
                                        world.users["outsider"])
    mark(session, member, Attendance.Status.PRESENT, world.city)
    mark(session, mayor_b, Attendance.Status.LATE, world.other_city)
    mark(session, mayor, Attendance.Status.ABSENT, world.city)
    mark(session, member_b, Attendance.Status.EXCUSED, world.other_city)
    with scopes_disabled():
        member.language, member.time_zone = "es", "America/Bogota"
        member.save(update_fields=["language", "time_zone"])

    assert feedback_requests_queue(now=session.ends_at + DAY / 2) == 0  # not yet: the day after
    day_after = session.ends_at + DAY + datetime.timedelta(hours=1)
    assert feedback_requests_queue(now=day_after) == 2
    feedback_requests_queue(now=day_after)  # a doubled sweep asks nobody twice
    feedback_requests_queue(now=day_after + DAY)
    sent = outbox.deliver(now=day_after)
    assert sorted(m.to[0] for m in sent) == sorted([member.email, mayor_b.email])
    assert len(outbox.rows(kind=KIND)) == 2
    spanish = next(m for m in sent if m.to[0] == member.email)
    link = reverse("agenda:session_feedback", args=[session.code])
    assert link in spanish.body and "¿Qué tal" in spanish.subject and "America/Bogota" in spanish.body


def test_coaching_check_ins_and_cancelled_sessions_are_not_asked(world, outbox):
    from agenda.services.sessions import session_cancel

    checkin = coaching_session(world, days_ahead=-2)
    mark(checkin, world.users["member"], Attendance.Status.PRESENT, world.city)
    cancelled = create_session(world, days_ahead=3, audience=Session.Audience.MAYORS_AND_TEAMS)
    with scopes_disabled():
        session_cancel(session=cancelled, actor=world.users["staff"])
        # Its time has passed since; someone marked a person present by mistake.
        Session.objects.filter(pk=cancelled.pk).update(starts_at=checkin.starts_at, ends_at=checkin.ends_at)
    mark(cancelled, world.users["member"], Attendance.Status.PRESENT, world.city)
    assert feedback_requests_queue() == 0
    assert outbox.rows(kind=KIND) == []


def test_a_convening_attendee_is_asked_once_however_many_days_they_came(world, outbox):
    from agenda.models import ConveningDay

    session = past_workshop(world, kind=Session.Kind.CONVENING, audience=Session.Audience.MAYORS, hours=30,
                            venue="Teatro Colón, Bogotá")
    with scopes_disabled():
        days = [ConveningDay.objects.create(session=session, label=f"Day {n}",
                                            starts_at=session.starts_at + n * DAY / 2,
                                            ends_at=session.starts_at + (n + 1) * DAY / 2) for n in range(2)]
        for day in days:
            Attendance.objects.create(session=session, day=day, person=world.users["mayor"], city=world.city,
                                      status=Attendance.Status.PRESENT)
    assert feedback_requests_queue(now=session.ends_at + 2 * DAY) == 1


def test_the_sweep_costs_the_same_queries_for_one_or_many_sessions(world, django_assert_num_queries):
    sessions = [past_workshop(world, title=f"Workshop {n}") for n in range(3)]
    for session in sessions:
        mark(session, world.users["member"], Attendance.Status.PRESENT, world.city)
        mark(session, world.mayor_b, Attendance.Status.PRESENT, world.other_city)
    # sessions, already asked, already answered, attendees; one INSERT for every message
    with django_assert_num_queries(5):
        assert feedback_requests_queue() == 6


def answer(client, session, **data):
    return client.post(reverse("agenda:session_feedback", args=[session.code]), data)


def test_an_attendee_answers_from_the_email_link_and_a_second_answer_updates_the_first(client, world, outbox):
    session = past_workshop(world)
    member = world.users["member"]
    mark(session, member, Attendance.Status.LATE, world.city)
    feedback_requests_queue()
    link = next(line for line in outbox.deliver()[0].body.splitlines() if "/feedback/" in line)
    path = link[link.index("/sessions/"):]
    client.force_login(member)
    page = client.get(path)
    assert page.status_code == 200 and "How useful was this session?" in page.content.decode()

    response = client.post(path, {"usefulness": "4", "will_apply": "5", "comment": "Clear examples."})
    assert response.status_code == 302 and response.url == session.get_absolute_url()
    answer(client, session, usefulness="2", will_apply="3", comment="")
    with scope(city=world.city):
        saved = SessionFeedback.objects.get(session=session, person=member)
        assert SessionFeedback.objects.filter(session=session).count() == 1
    assert (saved.usefulness, saved.will_apply, saved.comment, saved.city) == (2, 3, "", world.city)
    detail = client.get(session.get_absolute_url()).content.decode()
    assert "You rated its usefulness 2 of 5" in detail and reverse("agenda:session_feedback",
                                                                   args=[session.code]) in detail


def test_a_bad_answer_is_explained_next_to_its_field_and_nothing_is_saved(client, world):
    session = past_workshop(world)
    mark(session, world.users["member"], Attendance.Status.PRESENT, world.city)
    client.force_login(world.users["member"])
    response = answer(client, session, usefulness="9", comment="Kept while I fix the score")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"usefulness": ["Choose a score from 1 to 5."], "will_apply": ["Choose a score from 1 to 5."]}
    assert "Kept while I fix the score" in response.content.decode()
    with scope(city=world.city):
        assert not SessionFeedback.objects.exists()


@pytest.mark.parametrize("who", ["mayor", "staff", "coach", "outsider"])
def test_only_an_attendee_may_answer_anyone_else_gets_404(client, world, who):
    session = past_workshop(world)
    mark(session, world.users["member"], Attendance.Status.PRESENT, world.city)
    mark(session, world.users["mayor"], Attendance.Status.ABSENT, world.city)
    client.force_login(world.users[who])
    assert client.get(reverse("agenda:session_feedback", args=[session.code])).status_code == 404
    assert answer(client, session, usefulness="5", will_apply="5").status_code == 404
    checkin = coaching_session(world, days_ahead=-2)
    mark(checkin, world.users["member"], Attendance.Status.PRESENT, world.city)
    client.force_login(world.users["member"])
    assert client.get(reverse("agenda:session_feedback", args=[checkin.code])).status_code == 404


def _answers(world, session, scores):
    """`scores`: [(person, city, usefulness, will_apply, comment)], given through the service."""
    for person, city, usefulness, will_apply, comment in scores:
        mark(session, person, Attendance.Status.PRESENT, city)
        with scope(city=city):
            feedback_give(session=session, actor=person, usefulness=usefulness, will_apply=will_apply,
                          comment=comment)


def test_results_per_session_show_averages_distribution_and_comments_of_the_cities_one_sees(client, world):
    session = past_workshop(world)
    _answers(world, session, [(world.users["member"], world.city, 5, 4, "Alpha liked it"),
                              (world.users["mayor"], world.city, 3, 4, ""),
                              (world.mayor_b, world.other_city, 1, 1, "Beta did not")])
    url = reverse("agenda:session_feedback_results", args=[session.code])
    client.force_login(world.users["staff"])
    page = client.get(url)
    summary = page.context["summary"]
    assert (summary["count"], summary["usefulness"], summary["will_apply"]) == (3, 3.0, 3.0)
    assert [r["count"] for r in summary["usefulness_distribution"]] == [1, 0, 1, 0, 1]
    assert [r["count"] for r in summary["will_apply_distribution"]] == [1, 0, 0, 2, 0]
    assert "Alpha liked it" in page.content.decode() and "Beta did not" in page.content.decode()

    client.force_login(world.users["coach"])  # city A's coach: city A's answers only
    page = client.get(url)
    assert (page.context["summary"]["count"], page.context["summary"]["usefulness"]) == (2, 4.0)
    assert "Alpha liked it" in page.content.decode() and "Beta did not" not in page.content.decode()
    client.force_login(world.users["member"])
    assert client.get(url).status_code == 403


def test_the_cohort_page_summarises_per_learning_goal_and_kind(client, world):
    lead = past_workshop(world, days_ago=3, title="Lead one", learning_goal="lead")
    invest = past_workshop(world, title="Invest one", learning_goal="invest", kind=Session.Kind.KEYNOTE)
    _answers(world, lead, [(world.users["member"], world.city, 5, 5, ""), (world.mayor_b, world.other_city, 3, 2, "")])
    _answers(world, invest, [(world.users["member"], world.city, 2, 1, "")])
    client.force_login(world.users["staff"])
    feedback = client.get(reverse("agenda:cohort_feedback", args=[world.cohort.slug])).context["feedback"]
    assert [(g["key"], g["count"], g["usefulness"], g["will_apply"]) for g in feedback["by_goal"]] == [
        ("lead", 2, 4.0, 3.5), ("invest", 1, 2.0, 1.0)]
    assert [(k["key"], k["count"]) for k in feedback["by_kind"]] == [("keynote", 1), ("workshop", 2)]
    assert [s.title for s in feedback["sessions"]] == ["Lead one", "Invest one"]
    client.force_login(world.users["other_coach"])
    feedback = client.get(reverse("agenda:cohort_feedback", args=[world.cohort.slug])).context["feedback"]
    assert [(g["key"], g["count"]) for g in feedback["by_goal"]] == [("lead", 1)]


def test_the_cohort_page_costs_the_same_for_one_or_three_sessions(client, world):
    client.force_login(world.users["staff"])
    url = reverse("agenda:cohort_feedback", args=[world.cohort.slug])
    for n in range(3):
        session = past_workshop(world, title=f"Workshop {n}")
        _answers(world, session, [(world.users["member"], world.city, 4, 4, "")])
        assert_num_page_queries(client, url, expected=7)


def test_the_csv_holds_every_answer_formula_safe(client, world):
    session = past_workshop(world, title="Measuring what matters")
    _answers(world, session, [(world.users["member"], world.city, 4, 5, "=HYPERLINK(\"x\")"),
                              (world.mayor_b, world.other_city, 2, 2, "ok")])
    client.force_login(world.users["coach"])
    response = client.get(reverse("agenda:export_feedback", args=[world.cohort.slug]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["City", "Person", "Email"]
    assert len(rows) == 2  # city A's coach: city A's answer only
    row = rows[1]
    assert row[0] == "Alpha City" and row[3] == "Measuring what matters" and row[5] == "Lead confidently with data"
    assert row[7:10] == ["4", "5", "'=HYPERLINK(\"x\")"]


def test_a_team_member_who_joined_after_the_session_is_not_asked(world, outbox):
    session = past_workshop(world)
    late_joiner = MembershipFactory(city=world.city).user
    mark(session, world.users["member"], Attendance.Status.PRESENT, world.city)
    feedback_requests_queue()
    assert [r.recipient_id for r in outbox.rows(kind=KIND)] == [world.users["member"].pk]
    assert late_joiner.pk not in [r.recipient_id for r in outbox.rows(kind=KIND)]
