import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from accelerator.errors import RuleViolation
from accelerator.models import AuditEvent
from accelerator.tests.factories import UserFactory
from cohorts.models import Membership, Role
from cohorts.services.teams import membership_add, membership_change_role
from cohorts.tests.factories import MayorFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_database_allows_one_mayor_per_city(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        MayorFactory(city=world.city)


def test_a_person_belongs_to_one_city(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(city=world.other_city, user=world.users["member"], role=Role.POLICY)


def test_making_a_second_mayor_is_refused_with_a_message(world):
    with scope(city=world.city):
        member = world.city.memberships.get(user=world.users["member"])
        with pytest.raises(RuleViolation, match="already has a mayor"):
            membership_change_role(membership=member, role=Role.MAYOR, actor=world.users["staff"])


def test_other_role_needs_a_title(world):
    with pytest.raises(RuleViolation, match="job title"):
        membership_add(city=world.city, user=UserFactory(), role=Role.OTHER, actor=world.users["staff"])


def test_role_change_page_shows_the_mayor_error_next_to_the_field(client, world):
    with scope(city=world.city):
        member = world.city.memberships.get(user=world.users["member"])
        client.force_login(world.users["staff"])
        url = reverse("cohorts:member_edit", kwargs={"city_slug": world.city.slug, "code": member.code})
        response = client.post(url, {"role": Role.MAYOR, "title": ""})
        assert response.status_code == 200
        assert "already has a mayor" in response.content.decode()
        member.refresh_from_db()
        assert member.role != Role.MAYOR


def test_role_changes_and_removals_are_audited(client, world):
    with scope(city=world.city):
        member = world.city.memberships.get(user=world.users["member"])
        client.force_login(world.users["staff"])
        kwargs = {"city_slug": world.city.slug, "code": member.code}
        client.post(reverse("cohorts:member_edit", kwargs=kwargs), {"role": Role.COMMUNICATIONS, "title": ""})
        client.post(reverse("cohorts:member_remove", kwargs=kwargs))
        actions = list(AuditEvent.objects.filter(city=world.city).values_list("action", flat=True))
        assert "team.role_changed" in actions and "team.member_removed" in actions
        assert not Membership.objects.filter(user=world.users["member"]).exists()


def test_members_of_another_city_cannot_be_edited_through_this_city(client, world):
    with scope(city=world.city):
        with scope(city=world.other_city):  # the probe comes from city B
            other_member = world.other_city.memberships.get(user=world.users["outsider"])
        client.force_login(world.users["staff"])
        url = reverse("cohorts:member_edit", kwargs={"city_slug": world.city.slug, "code": other_member.code})
        assert client.get(url).status_code == 404


def test_team_page_notices_a_small_senior_team_without_blocking(client, world):
    client.force_login(world.users["mayor"])
    html = client.get(reverse("cohorts:team", kwargs={"city_slug": world.city.slug})).content.decode()
    assert "The senior team has 1 member besides the mayor" in html
    for _ in range(2):
        MembershipFactory(city=world.city)
    html = client.get(reverse("cohorts:team", kwargs={"city_slug": world.city.slug})).content.decode()
    assert "besides the mayor" not in html
    assert world.users["member"].full_name in html
    assert world.users["outsider"].full_name not in html


def test_team_page_reads_the_team_and_coaches_as_their_own_selectors_do(client, world):
    from django_scopes import scopes_disabled

    from accelerator.tests.factories import CoachFactory
    from cohorts.selectors import city_coaches, city_team, city_team_page
    from cohorts.services.teams import city_set_coaches, membership_remove

    staff = world.users["staff"]
    with scopes_disabled():
        MembershipFactory(city=world.city, role=Role.OTHER, title="Open data lead")
        leaving = MembershipFactory(city=world.city, role=Role.POLICY)
        membership_remove(membership=leaving, actor=staff)
        former = CoachFactory(full_name="Aaron Former")
        city_set_coaches(city=world.city, coaches=[world.users["coach"], former, CoachFactory(full_name="Zoe Coach")],
                         actor=staff)
        former.is_coach = False
        former.save(update_fields=["is_coach"])
        from cohorts.models import RoleInvitation
        from cohorts.services.invitations import invitation_create, invitation_revoke

        for n, role in enumerate((Role.COMMUNICATIONS, Role.OTHER, Role.POLICY)):
            invitation_create(email=f"invited{n}@example.org", full_name=f"Invited {n}", kind=RoleInvitation.Kind.CITY,
                              city=world.city, role=role, title="Data steward" if role == Role.OTHER else "",
                              actor=staff)
        invitation_revoke(invitation=RoleInvitation.objects.get(email="invited2@example.org"), actor=staff)
    with scope(city=world.city):
        team, coaches, invitations = city_team_page(world.city)
        expected_invitations = list(RoleInvitation.objects.filter(
            city=world.city, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now(),
        ).order_by("-created_at"))
        expected_team = list(city_team(world.city))
        expected_coaches = city_coaches(world.city)
    assert [(m.pk, m.code, m.role, m.title, m.user_id, m.user.full_name, m.user.email, m.role_label)
            for m in team] == [(m.pk, m.code, m.role, m.title, m.user_id, m.user.full_name, m.user.email, m.role_label)
                               for m in expected_team]
    assert [(c.pk, c.full_name, c.email) for c in coaches] == [(c.pk, c.full_name, c.email) for c in expected_coaches]
    assert "Aaron Former" not in {c.full_name for c in coaches} and len(coaches) == 2
    shown = ("pk", "code", "full_name", "email", "kind", "role", "title", "expires_at", "created_at", "role_label")
    assert [[getattr(i, f) for f in shown] for i in invitations] == [
        [getattr(i, f) for f in shown] for i in expected_invitations]
    assert [i.full_name for i in invitations] == ["Invited 1", "Invited 0"]
    client.force_login(staff)
    html = client.get(reverse("cohorts:team", kwargs={"city_slug": world.city.slug})).content.decode()
    assert "Open data lead" in html and "Zoe Coach" in html and leaving.user.full_name not in html


def test_the_team_pages_reused_lists_follow_every_change_and_carry_each_viewers_token(world, settings):
    """The team page's lists are rendered once per everything they show: a renamed person, a new
    invitation and a withdrawn one show at once, and each viewer's forms carry their own token."""
    import re

    from django.test import Client
    from django_scopes import scopes_disabled

    from accelerator.tests.factories import StaffFactory
    from cohorts.models import RoleInvitation
    from cohorts.services.invitations import invitation_create

    settings.DEBUG = False  # markup is reused only with DEBUG off
    url = reverse("cohorts:team", kwargs={"city_slug": world.city.slug})
    staff = world.users["staff"]
    viewer = Client(enforce_csrf_checks=True)
    viewer.force_login(staff)
    assert world.users["member"].full_name in viewer.get(url).content.decode()
    with scopes_disabled():
        world.users["member"].full_name = "Renata Renamed"
        world.users["member"].save(update_fields=["full_name"])
        invitation_create(email="new.person@example.org", full_name="Nina Newcomer", kind=RoleInvitation.Kind.CITY,
                          city=world.city, role=Role.COMMUNICATIONS, title="", actor=staff)
    html = viewer.get(url).content.decode()
    assert "Renata Renamed" in html and "Nina Newcomer" in html and "csrf-token" not in html
    invitation = RoleInvitation.objects.with_scopes_disabled().get(email="new.person@example.org")
    revoke = reverse("cohorts:invitation_revoke", kwargs={"city_slug": world.city.slug, "code": invitation.code})
    for person, client in ((staff, viewer), (StaffFactory(), Client(enforce_csrf_checks=True))):
        client.force_login(person)
        html = client.get(url).content.decode()  # the second viewer's lists are the kept ones
        token = re.search(re.escape(revoke) + r'" class="d-inline"><input type="hidden" name="csrfmiddlewaretoken" '
                          r'value="([^"]+)"', html)
        assert token and "csrf-token" not in html
    response = client.post(revoke, {"csrfmiddlewaretoken": token.group(1)})  # the second viewer's own token
    assert response.status_code == 302
    assert "Nina Newcomer" not in client.get(url).content.decode()


def test_a_coach_taken_off_a_city_is_ended_not_deleted_and_assigning_them_again_reopens_it(client, world):
    """Nothing the history needs is deleted: the assignment stays with when it ended, the coach
    no longer sees the city (404, as for any city they never had), the exports and lists name
    only the coaches now; assigning the same coach again opens the same assignment again."""
    from django_scopes import scopes_disabled

    from cohorts.models import CoachAssignment
    from cohorts.selectors import cities_export_rows, city_coaches, coaches_and_staff
    from cohorts.services.teams import city_set_coaches

    staff, coach = world.users["staff"], world.users["coach"]
    home = reverse("dashboards:city_home", kwargs={"city_slug": world.city.slug})
    client.force_login(coach)
    assert client.get(home).status_code == 200
    with scopes_disabled():
        city_set_coaches(city=world.city, coaches=[], actor=staff)
        ended = CoachAssignment.objects.get(city=world.city, coach=coach)
        assert ended.ended_at is not None
        assert AuditEvent.objects.filter(city=world.city, action="coach.unassigned").count() == 1
    assert client.get(home).status_code == 404
    with scope(city=world.city):
        assert city_coaches(world.city) == []
    with scopes_disabled():
        assert [row[-1] for row in cities_export_rows(world.cohort, staff) if row[0] == world.city.name] == [""]
        coaches, _staff = coaches_and_staff()
        assert [person["cities"] for person in coaches if person["email"] == coach.email] == [[]]
        city_set_coaches(city=world.city, coaches=[coach], actor=staff)
        again = CoachAssignment.objects.get(city=world.city, coach=coach)
        assert again.pk == ended.pk and again.ended_at is None and again.assigned_at >= ended.ended_at
        assert CoachAssignment.objects.filter(city=world.city).count() == 1
    assert client.get(home).status_code == 200
