import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accelerator.errors import RuleViolation
from accelerator.models import AuditEvent
from accelerator.tests.factories import CoachFactory, UserFactory
from cohorts.models import Membership, Role, RoleInvitation
from cohorts.services.invitations import invitation_create

pytestmark = pytest.mark.django_db



def link_path():
    return re.search(r"(/invitations/\S+/)", mail.outbox[-1].body).group(1)


def staff_invites(client, world, **data):
    client.force_login(world.users["staff"])
    payload = {"email": "newcdo@example.org", "full_name": "Nia Cole", "role": Role.POLICY, "title": ""}
    payload.update(data)
    return client.post(reverse("cohorts:team_invite", kwargs={"city_slug": world.city.slug}), payload)


def test_staff_invites_a_team_member_who_sets_a_password_once(client, world, django_capture_on_commit_callbacks):
    with scope(city=world.city):
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_invites(client, world)
        assert response.status_code == 302
        assert mail.outbox[-1].to == ["newcdo@example.org"]
        path = link_path()
        client.logout()
        assert client.get(path).status_code == 200
        response = client.post(path,
                               {"full_name": "Nia Cole", "password1": "a-long-pass-phrase",
                                "password2": "a-long-pass-phrase"})
        assert response.status_code == 302
        user = get_user_model().objects.get(email="newcdo@example.org")
        assert user.check_password("a-long-pass-phrase")
        membership = Membership.objects.with_scopes_disabled().get(user=user)
        assert membership.city == world.city and membership.role == Role.POLICY
        assert user.emailaddress_set.get().verified
        # Single use: the same link now explains itself instead of working again.
        client.logout()
        response = client.get(path)
        assert response.status_code == 410
        assert "already been used" in response.content.decode()
        assert AuditEvent.objects.filter(city=world.city, action="people.invitation_accepted").exists()


def test_expired_invitation_says_so(client, world, django_capture_on_commit_callbacks):
    with scope(city=world.city):
        with django_capture_on_commit_callbacks(execute=True):
            staff_invites(client, world)
        RoleInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
        client.logout()
        response = client.post(link_path(),
                               {"full_name": "X", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"})
        assert response.status_code == 410
        assert "expired" in response.content.decode()
        assert not get_user_model().objects.filter(email="newcdo@example.org").exists()


def test_a_new_invitation_replaces_the_old_link(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        staff_invites(client, world)
    first = link_path()
    with django_capture_on_commit_callbacks(execute=True):
        staff_invites(client, world)
    second = link_path()
    client.logout()
    assert "replaced or withdrawn" in client.get(first).content.decode()
    assert client.get(second).status_code == 200


def test_reinviting_an_existing_user_adds_the_role(client, world, django_capture_on_commit_callbacks):
    with scope(city=world.city):
        person = UserFactory(email="already@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_invites(client, world, email="Already@example.org", role=Role.COMMUNICATIONS)
        assert response.status_code == 302
        person.refresh_from_db()
        membership = Membership.objects.with_scopes_disabled().get(user=person)
        assert membership.city == world.city and membership.role == Role.COMMUNICATIONS
        assert "new role" in mail.outbox[-1].subject
        assert not RoleInvitation.objects.filter(email="already@example.org").exists()


def test_existing_coach_reinvited_as_coach_keeps_working(world):
    coach = CoachFactory(email="c@example.org")
    assert invitation_create(email="c@example.org", full_name="C", kind="coach", actor=world.users["staff"]) == coach


def test_a_person_of_another_city_cannot_join(client, world):
    outsider = world.users["outsider"]
    response = staff_invites(client, world, email=outsider.email)
    assert response.status_code == 200
    assert "one city per cohort" in response.content.decode()
    assert [m.city for m in Membership.objects.with_scopes_disabled().filter(user=outsider)] == [world.other_city]


def test_last_cohorts_team_member_joins_a_city_of_another_cohort(client, world, django_capture_on_commit_callbacks):
    """The same person in a later cohort's city: invited by email as anyone is, her first
    membership kept where it was."""
    from cohorts.tests.factories import CityFactory, CohortFactory

    with scopes_disabled():
        later = CityFactory(name="Alpha again", slug="alpha-again", cohort=CohortFactory(slug="later"))
    member = world.users["member"]
    client.force_login(world.users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cohorts:team_invite", kwargs={"city_slug": later.slug}),
                               {"email": member.email, "full_name": member.full_name, "role": Role.MAYOR, "title": ""})
    assert response.status_code == 302
    assert "new role" in mail.outbox[-1].subject
    mine = Membership.objects.with_scopes_disabled().filter(user=member).order_by("cohort__slug")
    assert {(m.city, m.cohort, m.role) for m in mine} == {
        (world.city, world.cohort, Role.CHIEF_DATA_OFFICER), (later, later.cohort, Role.MAYOR)}


def test_a_coach_cannot_join_a_city_team(world):
    with pytest.raises(RuleViolation, match="belong to no city"):
        invitation_create(email=world.users["coach"].email, full_name="x", kind="city", city=world.city,
                          role=Role.POLICY, actor=world.users["staff"])


def test_inviting_a_second_mayor_is_refused_next_to_the_role(client, world):
    response = staff_invites(client, world, email="mayor2@example.org", role=Role.MAYOR)
    assert response.status_code == 200
    assert "already has a mayor" in response.content.decode()


def test_invalid_invite_form_keeps_what_was_typed(client, world):
    response = staff_invites(client, world, email="not-an-email", full_name="Kept Name", role=Role.OTHER, title="")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kept Name" in html and "job title" in html


def test_staff_invites_a_coach_from_the_people_page(client, world, django_capture_on_commit_callbacks):
    with scope(city=world.city):
        client.force_login(world.users["staff"])
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("cohorts:people"),
                        {"email": "coach9@example.org", "full_name": "Coach Nine", "kind": "coach"})
        path = link_path()
        client.logout()
        client.post(path, {"full_name": "Coach Nine", "password1": "a-long-pass-phrase",
                           "password2": "a-long-pass-phrase"})
        coach = get_user_model().objects.get(email="coach9@example.org")
        assert coach.is_coach and not coach.is_staff
        assert not Membership.objects.filter(user=coach).exists()


def test_withdrawn_invitation_no_longer_works(client, world, django_capture_on_commit_callbacks):
    with scope(city=world.city):
        with django_capture_on_commit_callbacks(execute=True):
            staff_invites(client, world)
        invitation = RoleInvitation.objects.get()
        client.post(reverse("cohorts:invitation_revoke", kwargs={"city_slug": world.city.slug,
                                                                 "code": invitation.code}))
        client.logout()
        assert client.get(link_path()).status_code == 410


def test_accepting_after_the_mayor_seat_was_filled_explains_instead_of_failing(client, world,
                                                                               django_capture_on_commit_callbacks):
    from cohorts.tests.factories import CityFactory

    empty_city = CityFactory(cohort=world.cohort)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(email="m1@example.org", full_name="M One", kind="city", city=empty_city, role=Role.MAYOR,
                          actor=world.users["staff"])
    path = link_path()
    Membership.objects.create(city=empty_city, user=UserFactory(), role=Role.MAYOR)
    response = client.post(path,
                           {"full_name": "M One", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"})
    assert response.status_code == 410
    assert "already has a mayor" in response.content.decode()
    assert not get_user_model().objects.filter(email="m1@example.org").exists()


def test_an_invitation_opens_in_the_language_the_city_is_set_to(client, world, django_capture_on_commit_callbacks):
    world.city.language = "pt-br"
    world.city.save(update_fields=["language"])
    with scope(city=world.city):
        with django_capture_on_commit_callbacks(execute=True):
            staff_invites(client, world)
        path = link_path()
    client.logout()
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="pt-br">' in page
    # A visitor who chose another language with the switcher keeps it.
    client.post(reverse("language_set"), {"language": "es", "next": path})
    assert '<html lang="es">' in client.get(path).content.decode()


def test_a_newcomer_is_invited_in_the_citys_language(client, world, django_capture_on_commit_callbacks):
    from django.utils import translation
    from django.utils.translation import gettext

    world.city.language = "es"
    world.city.save(update_fields=["language"])
    with scope(city=world.city), django_capture_on_commit_callbacks(execute=True):
        staff_invites(client, world)  # staff write in English ...
    with translation.override("es"):  # ... the invitation reaches the newcomer in Spanish
        assert mail.outbox[-1].subject == "[Accelerator] " + gettext("You are invited")
    assert mail.outbox[-1].subject == "[Accelerator] Ha recibido una invitación"
