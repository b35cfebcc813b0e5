"""The desk, the board, the codes page and the eligibility page are kept under the convening's
ledger version (`selectors.ledger_version`): each input they show, changed by any writer, makes a
new key, so the next view shows the change."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from agenda.models import Attendance, ConveningDay, SessionInvitation
from cohorts.models import City, Membership
from cohorts.tests.factories import CityFactory, MayorFactory, MembershipFactory
from convening.models import CheckInCode, EligibilityReview, SurrogateAttempt
from convening.services.codes import checkin_codes_issue

from .factories import make_convening

pytestmark = pytest.mark.django_db


def page(client, name, session, query="", **kwargs):
    response = client.get(reverse(f"convening:{name}", kwargs={"code": session.code, **kwargs}) + query)
    assert response.status_code == 200
    return response.content.decode()


@scopes_disabled()
def mark(session, person, status="present", day=0):
    membership = Membership.objects.get(user=person, role="mayor")
    return Attendance.objects.create(session=session, day=session.test_days[day], city=membership.city,
                                     person=person, status=status)


def attempt(world, session, name="A Deputy"):
    with scopes_disabled():
        return SurrogateAttempt.objects.create(session=session, city=world.city, presented_name=name,
                                               reason="deputy", recorded_by=world.users["staff"])


def test_desk_follows_marks_attempts_and_teams(staff_client, world, live):
    assert "0 mayors in" in page(staff_client, "desk", live)
    mark(live, world.users["mayor"])
    html = page(staff_client, "desk", live)
    assert "1 mayor in" in html and "1 missing" in html
    attempt(world, live)
    assert "1 surrogate attempt" in page(staff_client, "desk", live)
    with scopes_disabled():  # a third city, with its mayor, joins the cohort
        MayorFactory(city=CityFactory(cohort=world.cohort, name="Gamma City"))
    html = page(staff_client, "desk", live)
    assert "2 missing" in html and "Gamma City" in html
    with scopes_disabled():
        City.objects.filter(name="Gamma City").update(status=City.Status.WITHDRAWN)
    html = page(staff_client, "desk", live)
    assert "1 missing" in html and "Gamma City" not in html


def test_desk_follows_the_clock_and_the_segments(staff_client, world, monkeypatch):
    soon = make_convening(world.cohort, start=timezone.now() + datetime.timedelta(hours=2))
    assert "Desk closed" in page(staff_client, "desk", soon)
    later = timezone.now() + datetime.timedelta(minutes=75)  # within the hour the desk opens before
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert "Open now: Wednesday evening" in page(staff_client, "desk", soon)
    with scopes_disabled():
        ConveningDay.objects.filter(pk=soon.test_days[0].pk).update(label="Opening evening")
    assert "Open now: Opening evening" in page(staff_client, "desk", soon)


def test_desk_search_follows_team_changes(staff_client, world, live):
    assert "Nadia Newcomer" not in page(staff_client, "desk", live, "?q=Alpha")
    with scopes_disabled():
        member = MembershipFactory(city=world.city, user__full_name="Nadia Newcomer")
    html = page(staff_client, "desk", live, "?q=Alpha")
    assert "Nadia Newcomer" in html and "Not invited" in html
    # The kept list has each request's own token in its forms, never the placeholder.
    results = html[html.index('id="desk-results"'):html.index("</section>", html.index('id="desk-results"'))]
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', results)
    assert "csrf-token" not in results and len(tokens) == 3  # one form per person found
    assert all(re.fullmatch(r"[A-Za-z0-9]{64}", token) for token in tokens)
    with scopes_disabled():
        SessionInvitation.objects.create(session=live, person=member.user, city=world.city)
    live.refresh_from_db()
    html = page(staff_client, "desk", live, "?q=Nadia")
    assert "Nadia Newcomer" in html and "Not invited" not in html


def test_board_follows_marks_attempts_reviews_and_withdrawals(staff_client, world, live):
    html = page(staff_client, "board", live)
    assert "Present" not in html and "refused" not in html
    mark(live, world.users["mayor"])
    assert "Present" in page(staff_client, "board", live)
    attempt(world, live, name="Deputy Dawg")
    html = page(staff_client, "board", live)
    assert "1 refused" in html and "Deputy Dawg" in html
    with scopes_disabled():
        review = EligibilityReview.objects.create(session=live, city=world.city, missed=["Friday"])
    assert "1 city is not eligible" in page(staff_client, "board", live)
    with scopes_disabled():
        EligibilityReview.objects.filter(pk=review.pk).update(state=EligibilityReview.State.EXCUSED,
                                                              decided_at=timezone.now())
    html = page(staff_client, "board", live)
    assert "not eligible" not in html and "Excused" in html
    assert "Beta City" in html
    with scopes_disabled():
        City.objects.filter(pk=world.other_city.pk).update(status=City.Status.WITHDRAWN)
    assert "Beta City" not in page(staff_client, "board", live)


def test_codes_follow_issues_and_reissues(staff_client, world, live):
    assert "Reissue code" not in page(staff_client, "codes", live)
    with scopes_disabled():
        checkin_codes_issue(session=live, actor=world.users["staff"])
        code = CheckInCode.objects.get(person=world.users["mayor"])
    html = page(staff_client, "codes", live)
    assert code.code in html and "replaced" not in html
    with scopes_disabled():  # a new code replaces the old one
        CheckInCode.objects.filter(pk=code.pk).update(revoked_at=timezone.now())
        new = CheckInCode.objects.create(session=live, city=world.city, person=world.users["mayor"])
    html = page(staff_client, "codes", live)
    assert new.code in html and code.code not in html and "1 replaced" in html


def test_eligibility_follows_marks_and_decisions(staff_client, world, live):
    with scopes_disabled():
        review = EligibilityReview.objects.create(session=live, city=world.city, missed=["Friday"])
    html = page(staff_client, "eligibility", live, city_slug=world.city.slug)
    assert "Not eligible — pending review" in html and "Late" not in html
    mark(live, world.users["mayor"], status="late")
    assert "Late" in page(staff_client, "eligibility", live, city_slug=world.city.slug)
    with scopes_disabled():
        EligibilityReview.objects.filter(pk=review.pk).update(
            state=EligibilityReview.State.EXCUSED, reason="Flight cancelled", decided_at=timezone.now(),
            decided_by=world.users["staff"])
    html = page(staff_client, "eligibility", live, city_slug=world.city.slug)
    assert "Flight cancelled" in html and "pending review" not in html


def test_pages_seen_again_read_the_session_and_the_ledger_version_only(staff_client, world, live):
    from accelerator.tests.queries import count_queries

    urls = [reverse(f"convening:{name}", kwargs={"code": live.code}) for name in ("desk", "board", "codes")]
    urls += [urls[0] + "?q=Alpha",
             reverse("convening:eligibility", kwargs={"code": live.code, "city_slug": world.city.slug})]
    for url in urls:
        first = count_queries(staff_client, url)
        # The signed-in user's session and user, the convening and its ledger's version (and
        # for the eligibility page its city): the rest is kept.
        assert count_queries(staff_client, url) == (5 if "eligibility" in url else 4) < first, url


def test_the_kept_desk_gives_each_request_its_own_token_and_a_working_form(client, world, live):
    """The desk's body is kept whole (forms, search results) with a stand-in for the CSRF token: each
    viewer's copy carries their own token, and a check-in posted from it is accepted."""
    from django.test import Client

    from accelerator.tests.factories import StaffFactory

    query = "?q=" + world.users["mayor"].full_name.split()[0]
    tokens = []
    for person in (world.users["staff"], StaffFactory()):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(person)
        for _ in range(2):  # the second view is served from the kept body
            html = page(browser, "desk", live, query)
            assert "csrf-token" not in html and world.users["mayor"].full_name in html
            # The desk name's form (kept), its token this request's (masked anew by each read).
            found = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)">\s*'
                               r'<input type="hidden" name="action" value="desk">', html)
            assert len(found) == 1
        tokens.append(found[0])
        response = browser.post(reverse("convening:desk", kwargs={"code": live.code}), {
            "csrfmiddlewaretoken": tokens[-1], "action": "desk", "desk-desk": f"Desk {len(tokens)}"})
        assert response.status_code == 302
    assert tokens[0] != tokens[1]
