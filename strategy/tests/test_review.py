"""The review workflow: submit, request changes, endorse, approve (mayor only), publish, amend."""

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scope

from accelerator.models import AuditEvent

from ..models import PublishedEdition, Strategy
from .factories import build_plan, section

pytestmark = pytest.mark.django_db


def step(client, world, name, message=""):
    url = reverse("strategy:review", kwargs={"city_slug": world.city.slug})
    return client.post(url, {"step": name, "message": message})


def status(world):
    return Strategy.objects.get(city=world.city).status


def test_submission_needs_a_complete_plan(client, world):
    with scope(city=world.city):
        section(world.city)
        client.force_login(world.users["member"])
        response = step(client, world, "submit")
        page = response.content.decode()
        assert response.status_code == 200 and "The plan is not complete yet" in page
        assert "Three-year vision is empty." in page
        assert status(world) == Strategy.Status.DRAFT


def test_the_whole_workflow(client, world, outbox, django_capture_on_commit_callbacks):
    with scope(city=world.city):
        build_plan(world.city)
        member, coach, mayor = world.users["member"], world.users["coach"], world.users["mayor"]

        client.force_login(member)
        with django_capture_on_commit_callbacks(execute=True):
            assert step(client, world, "submit").status_code == 302
        assert status(world) == Strategy.Status.SUBMITTED
        assert mail.outbox[-1].to == [coach.email] and "submitted" in mail.outbox[-1].subject
        # While in review nobody edits.
        vision = world.city.strategy_sections.get(key="vision")
        edit = reverse("strategy:edit", kwargs={"city_slug": world.city.slug, "kind": "section", "code": vision.code})
        assert client.post(edit, {"text": "sneaky", "version": vision.version}).status_code == 302
        vision.refresh_from_db()
        assert vision.text != "sneaky"

        client.force_login(coach)
        response = step(client, world, "request_changes")
        assert "Say what should change" in response.content.decode()
        sent = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            step(client, world, "request_changes", "Name an owner for each governance action.")
        assert status(world) == Strategy.Status.CHANGES_REQUESTED
        assert {m.to[0] for m in mail.outbox[sent:]} == {member.email, mayor.email}  # one each
        assert all("Name an owner" in m.body for m in mail.outbox[sent:])

        client.force_login(member)
        step(client, world, "submit")
        client.force_login(coach)
        step(client, world, "endorse")
        assert status(world) == Strategy.Status.ENDORSED

        client.force_login(member)  # only the mayor approves
        step(client, world, "approve")
        assert status(world) == Strategy.Status.ENDORSED
        client.force_login(coach)
        step(client, world, "approve")
        assert status(world) == Strategy.Status.ENDORSED

        client.force_login(mayor)
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            step(client, world, "approve")
        assert status(world) == Strategy.Status.PUBLISHED
        outbox.deliver()  # what the steps above queued without a commit in this test
        assert any("published" in m.subject for m in mail.outbox[before:])
        edition = PublishedEdition.objects.get(city=world.city)
        assert edition.edition == 1 and edition.approved_by == mayor
        assert edition.content["sections"]["vision"]["text"] == vision.text

        client.force_login(member)
        plan = client.get(reverse("strategy:plan", kwargs={"city_slug": world.city.slug})).content.decode()
        amend = plan.split('#step-amend"')[0].rsplit("<a ", 1)[1]  # possible, not expected: the quiet button
        assert "btn-outline-secondary" in amend and "btn-primary" not in amend
        with django_capture_on_commit_callbacks(execute=True):
            step(client, world, "amend")
        strategy = Strategy.objects.get(city=world.city)
        assert (strategy.status, strategy.edition) == (Strategy.Status.DRAFT, 2)
        plan = client.get(reverse("strategy:plan", kwargs={"city_slug": world.city.slug})).content.decode()
        assert "Read published edition 1" in plan
        published = client.get(reverse("strategy:edition", kwargs={"city_slug": world.city.slug, "edition": 1}))
        assert published.status_code == 200 and vision.text in published.content.decode()

        events = AuditEvent.objects.filter(city=world.city, action__startswith="strategy.")
        actions = list(events.values_list("action", flat=True))
        assert sorted(actions) == sorted([
            "strategy.submit", "strategy.request_changes", "strategy.submit", "strategy.endorse", "strategy.approve",
            "strategy.amend"])


def test_comments_are_started_by_coaches_and_answered_and_resolved_by_the_team(client, world,
                                                                               django_capture_on_commit_callbacks):
    with scope(city=world.city):
        section(world.city)
        url = reverse("strategy:comments", kwargs={"city_slug": world.city.slug})
        client.force_login(world.users["member"])
        assert client.post(url, {"part": "vision", "body": "team note"}).status_code == 403
        client.force_login(world.users["coach"])
        assert "Comment on this part" in client.get(reverse("strategy:plan",
                                                            kwargs={"city_slug": world.city.slug})).content.decode()
        sent = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"part": "governance", "body": "Who chairs the governance group?"})
        assert {m.to[0] for m in mail.outbox[sent:]} == {world.users["member"].email, world.users["mayor"].email}
        assert all("Who chairs" in m.body for m in mail.outbox[sent:])
        thread = world.city.strategy_threads.get()
        client.force_login(world.users["member"])
        client.post(reverse("strategy:reply", kwargs={"city_slug": world.city.slug, "code": thread.code}),
                    {"body": "The city manager."})
        client.post(reverse("strategy:resolve", kwargs={"city_slug": world.city.slug, "code": thread.code}),
                    {"resolved": "1"})
        thread.refresh_from_db()
        assert thread.resolved_by == world.users["member"] and thread.comments.count() == 2
        page = client.get(url).content.decode()
        assert "Who chairs the governance group?" in page and "The city manager." in page
        client.force_login(world.users["coach"])
        client.post(url, {"part": "vision", "body": "Is the vision measurable?"})
        page = client.get(url).content.decode()
        # Each comment under its own thread: the reply follows its question, not the other thread's.
        asked, answered, other = (page.index(text) for text in ("Who chairs", "The city manager.", "Is the vision"))
        assert asked < answered and not (asked < other < answered)


def test_maturity_self_assessment_shows_both_and_the_change(client, world):
    section(world.city)
    client.force_login(world.users["member"])
    for phase, level in (("baseline", 2), ("end", 4)):
        url = reverse("strategy:maturity", kwargs={"city_slug": world.city.slug, "phase": phase})
        assert client.post(url, {"governance_level": level, "governance_note": "because"}).status_code == 302
    page = client.get(reverse("strategy:plan", kwargs={"city_slug": world.city.slug})).content.decode()
    assert "Maturity self-assessment: baseline and end of program" in page
    assert "+2" in page
    bad = client.post(reverse("strategy:maturity", kwargs={"city_slug": world.city.slug, "phase": "end"}),
                      {"quality_level": 9})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()


def test_the_self_assessment_form_opens_with_the_ratings_as_they_are_now(client, world):
    section(world.city)
    client.force_login(world.users["member"])
    url = reverse("strategy:maturity", kwargs={"city_slug": world.city.slug, "phase": "baseline"})
    assert "checked" not in client.get(url).content.decode()  # kept now
    for level, note in ((2, "A first try"), (3, "A first try"), (3, "A better reason")):
        assert client.post(url, {"governance_level": level, "governance_note": note}).status_code == 302
        page = client.get(url).content.decode()
        assert f'value="{level}" class="form-check-input" id="id_governance_level_{level - 1}" checked' in page
        assert f"{note}</textarea>" in page
    assert "A better reason" not in client.get(url.replace("baseline", "end")).content.decode()


def test_each_person_is_told_in_their_own_language_not_the_actors(client, world, django_capture_on_commit_callbacks):
    from django.utils import translation
    from django.utils.translation import gettext

    member, coach = world.users["member"], world.users["coach"]
    member.language = "pt-br"
    member.save(update_fields=["language"])
    with scope(city=world.city):
        build_plan(world.city)
    client.force_login(member)  # the member's pages are in Portuguese ...
    with scope(city=world.city), django_capture_on_commit_callbacks(execute=True):
        assert step(client, world, "submit").status_code == 302
    [email] = [m for m in mail.outbox if m.to == [coach.email]]
    with translation.override("en"):  # ... the coach reads English
        assert email.subject == "[Accelerator] " + gettext("%(city)s submitted its data strategy") % {
            "city": world.city.name}
    with translation.override("pt-br"):
        assert gettext("%(city)s submitted its data strategy") % {"city": world.city.name} not in email.subject


def test_the_new_comment_form_opens_on_the_part_asked_for(client, world):
    section(world.city)
    client.force_login(world.users["coach"])
    url = reverse("strategy:comments", kwargs={"city_slug": world.city.slug})
    for part in ("quality", "use", "no-such-part"):
        page = client.get(f"{url}?part={part}").content.decode()
        chosen = [p for p in ("quality", "use") if f'value="{p}" selected' in page]
        assert chosen == ([part] if part != "no-such-part" else [])
