"""The mayor's code where she needs it: on the convening's page, first on her city home while the
convening is under way, and no prompt to answer once she has checked in. Two cities each."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from agenda.models import Response, SessionInvitation
from convening.models import CheckInCode
from convening.services.codes import checkin_codes_issue
from convening.services.desk import convening_check_in

from .factories import make_convening, wednesday_evening

pytestmark = pytest.mark.django_db


def codes(world, session):
    with scopes_disabled():  # codes of every city of the convening
        checkin_codes_issue(session=session, actor=world.users["staff"])
        return {c.person_id: c.code for c in CheckInCode.objects.filter(session=session)}


def under_way(world):
    """A convening whose first segment started an hour ago."""
    return make_convening(world.cohort, start=timezone.now() - datetime.timedelta(hours=1), title="Convening 2026")


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_each_mayor_sees_her_own_code_on_the_convenings_page(client, world):
    session = make_convening(world.cohort, start=wednesday_evening())
    issued = codes(world, session)
    mine, theirs = issued[world.users["mayor"].pk], issued[world.mayor_b.pk]
    html = page(client, world.users["mayor"], session.get_absolute_url())
    assert mine in html and theirs not in html and "qr-code" in html
    html = page(client, world.mayor_b, session.get_absolute_url())
    assert theirs in html and mine not in html
    html = page(client, world.users["staff"], session.get_absolute_url())
    assert mine not in html and theirs not in html and "qr-code" not in html


def test_the_code_comes_first_on_her_home_while_the_convening_is_under_way(client, world):
    session = under_way(world)
    code = codes(world, session)[world.users["mayor"].pk]
    html = page(client, world.users["mayor"], reverse("dashboards:city_home", kwargs={"city_slug": world.city.slug}))
    assert html.count(f">{code}<") == 1  # at the top, not again in the convening's card
    assert html.index(f">{code}<") < html.index("next-actions-heading")
    assert "Open at the desk now: Wednesday evening" in html
    # Her team sees the convening's card but no code.
    html = page(client, world.users["member"], reverse("dashboards:city_home", kwargs={"city_slug": world.city.slug}))
    assert code not in html


def test_before_the_convening_the_code_stays_in_the_convenings_card(client, world):
    session = make_convening(world.cohort, start=wednesday_evening(days_ahead=10))
    code = codes(world, session)[world.users["mayor"].pk]
    html = page(client, world.users["mayor"], reverse("dashboards:city_home", kwargs={"city_slug": world.city.slug}))
    assert html.count(f">{code}<") == 1 and html.index(f">{code}<") > html.index("next-actions-heading")


def test_no_prompt_to_answer_once_she_has_checked_in(client, world):
    session = under_way(world)
    mayor = world.users["mayor"]
    home = reverse("dashboards:city_home", kwargs={"city_slug": world.city.slug})
    assert f"Answer the invitation to “{session.title}”" in page(client, mayor, home)
    with scopes_disabled():  # the desk: a staff request, run with scopes disabled
        result = convening_check_in(session=session, actor=world.users["staff"], person=mayor,
                                    identity_confirmed=True)
    assert result.ok, result.message
    assert f"Answer the invitation to “{session.title}”" not in page(client, mayor, home)
    html = page(client, mayor, session.get_absolute_url())
    assert "You are checked in, so there is nothing to answer." in html and "Save my answer" not in html
    # An answer sent anyway is refused next to the field, and the invitation keeps what it had.
    response = client.post(session.get_absolute_url(), {"response": Response.NO})
    assert response.status_code == 200 and "nothing to answer" in response.content.decode()
    with scopes_disabled():  # the mayor's invitation
        assert SessionInvitation.objects.get(session=session, person=mayor).response == Response.PENDING
    # The other city's mayor, not yet in, is still asked.
    other_home = reverse("dashboards:city_home", kwargs={"city_slug": world.other_city.slug})
    assert f"Answer the invitation to “{session.title}”" in page(client, world.mayor_b, other_home)
