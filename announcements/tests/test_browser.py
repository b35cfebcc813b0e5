"""Staff write to everyone absent from a session, review the recipients and a Portuguese
speaker's preview, send, and find one message per absent person in the outbox; axe-core on
every page."""

import pytest

from accelerator.tests.browser import assert_accessible, login_as
from agenda.models import Session
from agenda.tests.factories import create_session

from .factories import mark

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, path=None):
    if path is not None:
        page.goto(path)
    assert page.get_by_role("heading", level=1).count() == 1, page.url
    assert_accessible(page)


def test_staff_write_to_everyone_absent_from_a_session(browser_context, live_server, world):
    session = create_session(world, days_ahead=-2, title="Data routines workshop",
                             audience=Session.Audience.MAYORS_AND_TEAMS)
    member, mayor, mayor_b = world.users["member"], world.users["mayor"], world.mayor_b
    mayor_b.full_name, mayor_b.language = "Beatriz Souza", "pt-br"
    mayor_b.save(update_fields=["full_name", "language"])
    member.full_name = "Alex Member"
    member.save(update_fields=["full_name"])
    mark(session, member, world.city, "absent")
    mark(session, mayor_b, world.other_city, "absent")
    mark(session, mayor, world.city, "present")

    login_as(browser_context, live_server.url, world.users["staff"])
    page = browser_context.new_page()
    visit(page, f"/cohorts/{world.cohort.slug}/")
    page.get_by_role("link", name="Announcements").click()
    visit(page)
    page.get_by_role("link", name="Write an announcement").click()
    visit(page)

    page.get_by_label("Subject").fill("We missed you at the workshop")
    page.get_by_label("Message").fill("The slides and the recording are on the portal.")
    page.get_by_label("Session").select_option(session.code)
    page.get_by_label("Marked absent").check()
    page.get_by_role("button", name="Save and review").click()
    page.wait_for_url("**/announcements/*/")
    visit(page)

    recipients = page.get_by_role("table").inner_text()
    assert "Alex Member" in recipients and "Beatriz Souza" in recipients
    assert mayor.full_name not in recipients  # present, so not written to
    assert "2 people will get this message." in recipients

    choice = f"Beatriz Souza · {world.other_city.name} · Português (Brasil)"
    page.get_by_label("Recipient", exact=True).select_option(label=choice)
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**?to=*")
    visit(page)
    text = page.locator("#preview-text")
    assert text.get_attribute("lang") == "pt-br"
    assert "Olá, Beatriz Souza," in text.inner_text()
    assert "Uma mensagem da equipe do programa" in text.inner_text()
    assert "The slides and the recording are on the portal." in text.inner_text()
    assert page.locator("#preview-subject").inner_text() == "[Accelerator] We missed you at the workshop"

    page.get_by_role("button", name="Send to 2 people").click()
    page.wait_for_url(f"**/cohorts/{world.cohort.slug}/announcements/")
    visit(page)
    assert "Sent: 2 messages are on their way." in page.get_by_role("alert").inner_text()

    page.get_by_role("link", name="Outbox").click()
    page.wait_for_url("**/outbox/")
    visit(page)
    page.get_by_label("Kind of message").select_option("announcements.message")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**kind=announcements.message*")
    visit(page)
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    listed = rows.all_inner_texts()
    assert sum(member.email in row for row in listed) == 1 and sum(mayor_b.email in row for row in listed) == 1
    assert all(("Queued" in row or "Sent" in row) for row in listed)

    rows.nth(0).get_by_role("link").click()
    page.wait_for_url("**/outbox/*/")
    visit(page)
    preview = page.get_by_role("region", name="The message as the recipient gets it")
    assert "We missed you at the workshop" in preview.inner_text()
