"""The issue's "done when" flow in a real browser on a phone-sized screen, axe on every page."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accelerator.models import AuditEvent
from accelerator.tests.browser import assert_accessible, login_as
from agenda.models import Attendance
from cohorts.models import City
from convening.models import CheckInCode, EligibilityReview, SurrogateAttempt
from convening.services.codes import checkin_codes_issue
from convening.services.enforcement import convening_enforce

from .factories import after, make_convening

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def visit(page, path):
    page.goto(path)
    assert page.get_by_role("heading", level=1).count() == 1, path
    assert_accessible(page)


def test_desk_on_a_phone_board_and_override(browser_context, live_server, world):
    staff, mayor, member = world.users["staff"], world.users["mayor"], world.users["member"]
    session = make_convening(world.cohort, start=timezone.now() - datetime.timedelta(minutes=10))
    with scopes_disabled():  # the codes page: a staff request, run with scopes disabled
        checkin_codes_issue(session=session, actor=staff)
    with scope(city=world.city):
        code = CheckInCode.objects.get(person=mayor).code
    # The live server's requests open their own scopes, in its own thread.
    login_as(browser_context, live_server.url, staff)
    page = browser_context.new_page()
    page.set_viewport_size(PHONE)

    # By code: the code field, the identity confirmation, one tap.
    visit(page, f"/sessions/{session.code}/check-in/")
    page.get_by_label("Check-in code").fill(code.lower())
    page.locator("#id_code-identity_confirmed").check()
    page.get_by_role("button", name="Check in", exact=True).click()
    page.wait_for_load_state()
    assert "is checked in" in page.content()
    assert_accessible(page)

    # By name: results appear while typing (type-ahead); confirm identity, check in.
    page.get_by_label("Name, email or city").fill("Beta")
    row = page.locator("li.list-group-item", has_text=world.mayor_b.full_name).first
    row.wait_for()
    assert_accessible(page)
    row.get_by_label("I checked this person's identity in person (photo ID)").check()
    row.get_by_role("button", name=f"Check in {world.mayor_b.full_name}").click()
    page.wait_for_load_state()
    assert "mayor of Beta City, is checked in" in page.content()
    with scopes_disabled():  # reads both cities' rows
        assert Attendance.objects.filter(session=session, status="present").count() == 2

    # A team member presenting for the mayor is refused and recorded.
    page.get_by_label("Name, email or city").fill("Alpha")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    page.get_by_role("button", name=f"{member.full_name} is presenting for the mayor — refuse").click()
    page.wait_for_load_state()
    assert "Recorded as a surrogate attempt" in page.content()
    assert_accessible(page)
    with scopes_disabled():  # reads both cities' rows: the one attempt
        assert SurrogateAttempt.objects.get().presented_person == member

    # The board on a larger screen flags the attempt.
    page.set_viewport_size({"width": 1280, "height": 900})
    visit(page, f"/sessions/{session.code}/board/")
    assert "1 refused" in page.content()

    # After the convening, Alpha's mayor (only Wednesday) is pending review; staff override with a reason.
    convening_enforce(now=after(session))  # outside any scope: the enforcement opens its own
    with scope(city=world.city):
        assert EligibilityReview.objects.get(city=world.city).is_pending
    visit(page, f"/sessions/{session.code}/cities/{world.city.slug}/eligibility/")
    page.get_by_label("Eligible (overridden)").check()
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_load_state()
    assert "Write the reason" in page.content()
    assert_accessible(page)
    page.get_by_label("Reason").fill("Mayor attended Thursday and Friday remotely by prior agreement.")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_load_state()
    assert "Decision recorded" in page.content()
    assert City.objects.get(pk=world.city.pk).status == City.Status.ACTIVE
    with scope(city=world.city):
        assert AuditEvent.objects.filter(city=world.city, action="convening.eligibility_decided").exists()
    page.goto(f"/cohorts/{world.cohort.slug}/")  # the cohort page's own axe check lives with the cohort dashboard
    assert "Eligible (overridden)" in page.content() and "Not eligible — pending review" in page.content()
    visit(page, f"/cities/{world.city.slug}/audit/?group=convening")
    content = page.content()
    assert "Surrogate refused" in content and "pending review" in content
    assert "remotely by prior agreement" in content


def test_mayor_sees_their_code_and_qr_on_the_city_home(browser_context, live_server, world):
    with scope(city=world.city):
        session = make_convening(world.cohort, start=timezone.now() + datetime.timedelta(days=3))
        checkin_codes_issue(session=session, actor=world.users["staff"])
        code = CheckInCode.objects.get(person=world.users["mayor"]).code
        login_as(browser_context, live_server.url, world.users["mayor"])
        page = browser_context.new_page()
        page.set_viewport_size(PHONE)
        visit(page, f"/cities/{world.city.slug}/")
        assert code in page.content()
        assert page.get_by_role("img", name=f"QR code for check-in code {code}").count() == 1


def test_the_desk_refuses_a_surrogate_in_portuguese(browser_context, live_server, world):
    """A desk operator who reads Brazilian Portuguese sees the no-surrogate refusal in it."""
    staff, member = world.users["staff"], world.users["member"]
    staff.language = "pt-br"
    staff.save(update_fields=["language"])
    session = make_convening(world.cohort, start=timezone.now() - datetime.timedelta(minutes=10))
    login_as(browser_context, live_server.url, staff)
    page = browser_context.new_page()
    page.set_viewport_size(PHONE)
    visit(page, f"/sessions/{session.code}/check-in/")
    assert page.locator("html").get_attribute("lang") == "pt-br"
    page.get_by_label("Nome, e-mail ou cidade").fill("Alpha")
    page.get_by_role("button", name="Buscar").click()
    page.wait_for_load_state()
    page.get_by_role(
        "button", name=f"{member.full_name} está se apresentando no lugar do prefeito ou da prefeita — recusar").click()
    page.wait_for_load_state()
    content = page.content()
    assert "Recusado: somente o prefeito ou a prefeita" in content
    assert "Registrado como tentativa de substituição" in content
    assert "Refused:" not in content
    assert_accessible(page)
    with scopes_disabled():  # reads both cities' rows: the one attempt
        assert SurrogateAttempt.objects.get().presented_person == member
