"""The issue's "done when" flow in a real browser, with an axe-core check on every page."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scope

from accelerator.tests.browser import assert_accessible, login_as
from coaching.models import ActionItem, CheckIn, MayorDecision, Showcase

from .factories import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOTE = "PRIVATE-BROWSER-NOTE"


def visit(page, path):
    page.goto(path)
    assert page.get_by_role("heading", level=1).count() == 1, path
    assert_accessible(page)


def as_user(browser_context, live_server, user):
    browser_context.clear_cookies()
    login_as(browser_context, live_server.url, user)


def test_checkin_decision_and_showcase_flow(browser_context, live_server, world, tmp_path):
    with scope(city=world.city):
        city = world.city
        coach, member, mayor = world.users["coach"], world.users["member"], world.users["mayor"]
        member_label = f"{member.full_name} (Chief data officer)"
        page = browser_context.new_page()

        # The coach logs a check-in with two action items and a private note.
        as_user(browser_context, live_server, coach)
        visit(page, f"/cities/{city.slug}/coaching/")
        page.get_by_role("link", name="Log a check-in").click()
        page.wait_for_url("**/coaching/new/")
        assert_accessible(page)
        page.locator("[name=held_on]").fill((timezone.localdate() - datetime.timedelta(days=14)).isoformat())
        page.get_by_label(member_label).check()
        page.get_by_label("Learning goal in focus").select_option("lead")
        page.get_by_label("Summary shared with the city").fill("We agreed the first monthly metrics.")
        page.get_by_label("Private coach notes").fill(NOTE)
        page.locator('[name="items-0-what"]').fill("Publish the data inventory")
        page.locator('[name="items-0-owner"]').select_option(label=member_label)
        page.locator('[name="items-1-what"]').fill("Draft the open-data policy")
        page.locator('[name="items-1-owner"]').select_option(label=member_label)
        page.get_by_role("button", name="Save check-in").click()
        page.wait_for_url(re.compile(r".*/coaching/[\w-]+/$"))
        assert_accessible(page)
        assert NOTE in page.content()
        assert ActionItem.objects.filter(city=city).count() == 2

        # The team sees the summary but not the private notes, and closes one item.
        as_user(browser_context, live_server, member)
        visit(page, f"/cities/{city.slug}/coaching/")
        assert "We agreed the first monthly metrics." in page.content() and NOTE not in page.content()
        page.get_by_role("link", name="Update — Publish the data inventory").first.click()
        assert_accessible(page)
        page.get_by_label("Status").select_option("done")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(f"**/cities/{city.slug}/coaching/")
        assert ActionItem.objects.get(what="Publish the data inventory").status == "done"

        # The next check-in carries the open item forward.
        as_user(browser_context, live_server, coach)
        visit(page, f"/cities/{city.slug}/coaching/new/")
        assert "Draft the open-data policy" in page.locator("aside").inner_text()
        page.get_by_label("Summary shared with the city").fill("Second check-in.")
        page.get_by_label("Learning goal in focus").select_option("invest")
        page.get_by_role("button", name="Save check-in").click()
        page.wait_for_url(re.compile(r".*/coaching/[\w-]+/$"))
        second = CheckIn.objects.get(summary="Second check-in.")
        assert [i.what for i in second.carried_items.all()] == ["Draft the open-data policy"]
        assert "Carried forward from earlier check-ins" in page.content()

        # The coach raises a decision; the mayor decides it from their home page.
        visit(page, f"/cities/{city.slug}/decisions/")
        page.get_by_role("link", name="Ask the mayor for a decision").click()
        assert_accessible(page)
        page.get_by_label("Question").fill("Publish the 311 data?")
        page.get_by_label("Context").fill("Residents asked for it.")
        page.get_by_label("Options").fill("Publish now\nWait")
        page.get_by_label("Decision needed by").fill((timezone.localdate() + datetime.timedelta(days=7)).isoformat())
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(r".*/decisions/[\w-]+/$"))
        assert_accessible(page)

        as_user(browser_context, live_server, mayor)
        visit(page, "/")
        assert page.get_by_role("heading", name="Decisions waiting for you").is_visible()
        page.get_by_role("link", name="Decide — Publish the 311 data?").click()
        assert_accessible(page)
        page.get_by_label("Publish now").check()
        page.get_by_label("Your decision and direction").fill("Go ahead with the notes.")
        page.get_by_role("button", name="Record my decision").click()
        page.wait_for_url(re.compile(r".*/decisions/[\w-]+/$"))
        assert_accessible(page)
        assert MayorDecision.objects.get(city=city).status == "decided"

        # The team submits a showcase with a file; the coach's feedback reaches them by email.
        as_user(browser_context, live_server, member)
        visit(page, f"/cities/{city.slug}/showcases/")
        page.get_by_role("link", name="Prepare a showcase").click()
        assert_accessible(page)
        page.get_by_label("Title").fill("Monthly performance meeting")
        page.get_by_label("Kind of practice").select_option("data_routine")
        page.get_by_label("What changed").fill("The team meets monthly over three metrics.")
        page.get_by_label("For whom").fill("Department heads.")
        page.get_by_label("How it will be sustained").fill("On the standing calendar.")
        bad = tmp_path / "minutes.pdf"
        bad.write_bytes(b"MZ not a pdf")
        page.get_by_label("Add an evidence file").set_input_files(str(bad))
        page.get_by_role("button", name="Save draft").click()
        assert "does not contain what its name says" in page.content()
        assert page.get_by_label("Title").input_value() == "Monthly performance meeting"  # the rest is kept
        assert_accessible(page)
        good = tmp_path / "minutes-ok.pdf"
        good.write_bytes(PDF_BYTES)
        page.get_by_label("Add an evidence file").set_input_files(str(good))
        page.get_by_role("button", name="Save draft").click()
        page.wait_for_url(re.compile(r".*/showcases/[\w-]+/$"))
        assert_accessible(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="minutes-ok.pdf").click()
        assert download.value.suggested_filename == "minutes-ok.pdf"
        page.get_by_role("button", name="Submit to the coach").click()
        page.wait_for_load_state()
        assert Showcase.objects.get(city=city).status == "submitted"

        as_user(browser_context, live_server, coach)
        showcase = Showcase.objects.get(city=city)
        visit(page, showcase.get_absolute_url())
        mail.outbox.clear()
        page.get_by_role("link", name="Give feedback").click()
        assert_accessible(page)
        page.get_by_label("What works").fill("Short and focused.")
        page.get_by_label("What to strengthen").fill("Write down how metrics are chosen.")
        page.get_by_label("Partly").check()
        page.get_by_role("button", name="Send feedback to the team").click()
        page.wait_for_url(re.compile(r".*/showcases/[\w-]+/$"))
        assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, mayor.email])  # the mayor too
        assert all(showcase.get_absolute_url() in m.body for m in mail.outbox)
        assert not any(NOTE in m.body or NOTE in m.alternatives[0][0] for m in mail.outbox)


def test_other_coaching_pages_are_accessible(browser_context, live_server, world):
    with scope(city=world.city):
        from .factories import (
            ActionItemFactory,
            CheckInFactory,
            DecisionFactory,
            ShowcaseFactory,
        )

        item = ActionItemFactory(checkin=CheckInFactory(city=world.city, coach=world.users["coach"]))
        decision = DecisionFactory(city=world.city, due_on=timezone.localdate() - datetime.timedelta(days=2))
        showcase = ShowcaseFactory(city=world.city, status=Showcase.Status.SUBMITTED)
        page = browser_context.new_page()
        as_user(browser_context, live_server, world.users["coach"])
        for path in ["/", f"/cities/{world.city.slug}/coaching/{item.checkin.code}/edit/",
                     f"/cities/{world.city.slug}/decisions/{decision.code}/",
                     f"/cities/{world.city.slug}/showcases/{showcase.code}/feedback/"]:
            visit(page, path)
        as_user(browser_context, live_server, world.users["staff"])
        visit(page, f"/cohorts/{world.cohort.slug}/showcases/")
        as_user(browser_context, live_server, world.users["member"])
        visit(page, f"/cities/{world.city.slug}/action-items/{item.code}/status/")
        draft = ShowcaseFactory(city=world.city)
        visit(page, f"/cities/{world.city.slug}/showcases/{draft.code}/edit/")
        visit(page, f"/cities/{world.city.slug}/showcases/{draft.code}/")
        page.set_viewport_size({"width": 390, "height": 844})
        visit(page, f"/cities/{world.city.slug}/coaching/")
