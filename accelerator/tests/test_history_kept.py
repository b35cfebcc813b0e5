"""Nothing that history needs is deleted. Each delete that used to erase history is tried, by the
ORM and through the admin, and the history is still there afterwards (or the delete is refused,
saying why): a person, a session, a city, a membership, a past convening. People leave a team
(their membership ends and is kept); a person's data exports as a file and is erased in place."""

import datetime
import json

import pytest
from django.contrib import admin
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accelerator.models import AuditEvent, User
from accelerator.people_data import person_erase, person_export
from accelerator.tests.factories import StaffFactory
from agenda.models import Attendance, ConveningDay, Session
from coaching.models import ActionItem, CheckIn
from coaching.services.checkins import checkin_create
from cohorts.models import City, Cohort, Membership
from cohorts.services.teams import membership_add, membership_change_role, membership_remove
from cohorts.tenancy import city_access
from convening.models import CheckInCode, EligibilityReview, SurrogateAttempt
from convening.tests.factories import make_convening
from strategy.models import Revision, Strategy
from strategy.tests.factories import build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world):
    """City A's past: a convening with attendance, a code, a surrogate attempt and a review; a
    check-in the member attended with an item they own; a plan with revisions."""
    staff, member, mayor = world.users["staff"], world.users["member"], world.users["mayor"]
    with scopes_disabled():
        convening = make_convening(world.cohort, start=timezone.now() - datetime.timedelta(days=30))
        day = convening.test_days[0]
        Attendance.objects.create(session=convening, day=day, city=world.city, person=mayor,
                                  status=Attendance.Status.PRESENT)
        Attendance.objects.create(session=convening, city=world.city, person=member, status=Attendance.Status.ABSENT)
        CheckInCode.objects.create(session=convening, city=world.city, person=mayor, code="ABC123",
                                   issued_by=staff)
        SurrogateAttempt.objects.create(session=convening, day=day, city=world.city, presented_person=member,
                                        reason=SurrogateAttempt.Reason.values[0], recorded_by=staff)
        EligibilityReview.objects.create(session=convening, city=world.city, missed=["Friday"])
        membership = Membership.objects.get(user=member)
    with scope(city=world.city):
        checkin = checkin_create(city=world.city, actor=world.users["coach"], attendees=[membership],
                                 items=[{"what": "Publish the inventory", "owner": membership}],
                                 held_on=timezone.localdate() - datetime.timedelta(days=2), focus_goal="lead",
                                 summary="Inventory reviewed.")
    with scopes_disabled():
        build_plan(world.city)
        strategy = Strategy.objects.get(city=world.city)
        Revision.objects.create(city=world.city, strategy=strategy, unit_kind="section", unit_code="x",
                                unit_label="Vision", part="vision", before={}, after={"text": "v2"}, version=2,
                                actor=member)
    return convening, checkin, membership


def counts(world):
    with scopes_disabled():
        return {
            "attendance": Attendance.objects.filter(city=world.city).count(),
            "codes": CheckInCode.objects.filter(city=world.city).count(),
            "surrogates": SurrogateAttempt.objects.filter(city=world.city).count(),
            "reviews": EligibilityReview.objects.filter(city=world.city).count(),
            "attended": CheckIn.attendees.through.objects.filter(checkin__city=world.city).count(),
            "items": ActionItem.objects.filter(city=world.city, owner__isnull=False).count(),
            "revisions": Revision.objects.filter(city=world.city).count(),
            "plans": Strategy.objects.filter(city=world.city).count(),
            "memberships": Membership.history.filter(city=world.city).count(),
        }


def test_orm_deletes_of_people_sessions_cities_memberships_and_cohorts_are_refused(world, history):
    convening, _checkin, membership = history
    before = counts(world)
    assert all(before.values()), before
    with scopes_disabled():
        for target in (world.users["member"], world.users["mayor"], convening, convening.test_days[0], world.city,
                       membership, world.cohort):
            with pytest.raises(ProtectedError):
                target.delete()
        with pytest.raises(ProtectedError):
            Session.objects.filter(pk=convening.pk).delete()
        with pytest.raises(ProtectedError):
            City.objects.filter(pk=world.city.pk).delete()
        with pytest.raises(ProtectedError):
            User.objects.filter(pk=world.users["member"].pk).delete()
    assert counts(world) == before


def test_the_admin_offers_no_delete_for_history_and_a_delete_url_is_refused(client, world, history):
    convening, _checkin, membership = history
    superuser = StaffFactory(is_superuser=True)
    client.force_login(superuser)
    before = counts(world)
    targets = [(Session, convening), (ConveningDay, convening.test_days[0]), (City, world.city), (Cohort, world.cohort),
               (Membership, membership), (User, world.users["member"]), (CheckIn, history[1])]
    for model, obj in targets:
        model_admin = admin.site._registry[model]
        assert not model_admin.has_delete_permission(client.request().wsgi_request), model
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        change = client.get(reverse(f"{name}_change", args=[obj.pk])).content.decode()
        assert "deletelink" not in change, model
        assert client.post(reverse(f"{name}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403, model
        changelist = client.get(reverse(f"{name}_changelist")).content.decode()
        assert "delete_selected" not in changelist, model
        bulk = client.post(reverse(f"{name}_changelist"),
                           {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
        assert bulk.status_code in (200, 302)
    assert counts(world) == before


def test_a_person_who_leaves_the_team_keeps_their_history_and_loses_access(world, history):
    _convening, checkin, membership = history
    before = counts(world)
    member = world.users["member"]
    membership_remove(membership=membership, actor=world.users["staff"])
    assert counts(world) == before
    with scopes_disabled():
        ended = Membership.history.get(pk=membership.pk)
        assert ended.ended_at is not None
        assert not Membership.objects.filter(pk=membership.pk).exists()
        assert list(CheckIn.attendees.through.objects.filter(checkin=checkin).values_list("membership", flat=True)) \
            == [membership.pk]
    member = User.objects.get(pk=member.pk)
    assert city_access(member, world.city) is None
    # Their check-in still names them on the coaching log.
    from coaching.selectors import checkin_log

    with scope(city=world.city):
        logged = checkin_log(world.city, with_private_notes=False).get(pk=checkin.pk)
        assert [m.user.full_name for m in logged.attendees.all()] == [member.full_name]
    # Coming back to the same team takes the old row up again.
    membership_add(city=world.city, user=member, role=ended.role, actor=world.users["staff"])
    with scopes_disabled():
        assert Membership.objects.get(user=member).pk == membership.pk


def test_a_persons_data_exports_as_a_file_naming_everything_about_them(world, history):
    member = world.users["member"]
    membership_change_role(membership=history[2], role="policy", actor=world.users["staff"])  # an audit line
    data = person_export(member)
    assert data["person"]["email"] == member.email
    records = data["records"]
    for label in ("agenda.attendance", "cohorts.membership", "convening.surrogateattempt", "strategy.revision",
                  "coaching.checkin (attended)", "accelerator.auditevent (names the person)"):
        assert records.get(label), label
    json.dumps(data, default=str)


def test_a_superuser_erases_a_persons_name_and_email_in_place_and_every_record_stays(world, history):
    member = world.users["member"]
    membership_change_role(membership=history[2], role="policy", actor=world.users["staff"])  # an audit line
    old_name, old_email = member.full_name, member.email
    with scopes_disabled():
        assert AuditEvent.objects.filter(data__icontains=old_email).exists()
    before = counts(world)
    with pytest.raises(Exception, match="superuser"):
        person_erase(user=member, actor=world.users["staff"])
    superuser = StaffFactory(is_superuser=True)
    person_erase(user=member, actor=superuser)
    member.refresh_from_db()
    assert member.full_name == f"Erased person {member.pk}" and member.email.endswith("@erased.invalid")
    assert not member.is_active and not member.has_usable_password()
    assert counts(world) == before
    with scopes_disabled():
        texts = [json.dumps(e.data, ensure_ascii=False) + e.summary + e.actor_label for e in AuditEvent.objects.all()]
        assert not [t for t in texts if old_email in t or old_name in t]
        assert AuditEvent.objects.filter(action="person.erased", actor=superuser).exists()
    assert person_export(member)["person"]["email"] == member.email


def test_erasing_a_person_leaves_the_names_and_addresses_that_only_contain_theirs(world):
    """Erasure replaces the person's name and address where they stand on their own: another
    person whose address ends like theirs, or a word that begins with their name, is left alone."""
    from accelerator.audit import audit_record

    member = world.users["member"]
    member.full_name, member.email = "Li Wei", "ana@example.org"
    member.save(update_fields=["full_name", "email"])
    with scopes_disabled():
        audit_record(city=world.city, actor=world.users["staff"], action="team.role_changed",
                     data={"user": "ana@example.org", "person_name": "Li Wei", "role": "cdo", "title": "",
                           "before_role": "policy", "before_title": ""})
        other = audit_record(city=world.city, actor=world.users["staff"], action="team.role_changed",
                             data={"user": "mariana@example.org", "person_name": "Li Weibo", "role": "cdo",
                                   "title": "", "before_role": "policy", "before_title": ""})
    person_erase(user=member, actor=StaffFactory(is_superuser=True))
    with scopes_disabled():
        other.refresh_from_db()
        assert other.data["user"] == "mariana@example.org" and other.data["person_name"] == "Li Weibo"
        mine = AuditEvent.objects.filter(action="team.role_changed").exclude(pk=other.pk).get()
        assert mine.data["user"] == f"erased-{member.pk}@erased.invalid"
        assert mine.data["person_name"] == f"Erased person {member.pk}"


def test_the_commands_export_to_a_file_and_erase_only_when_confirmed_by_a_superuser(world, history, tmp_path):
    from django.core.management import CommandError, call_command

    member = world.users["member"]
    target = tmp_path / "person.json"
    call_command("person_export", member.email, output=str(target))
    assert json.loads(target.read_text())["person"]["full_name"] == member.full_name
    superuser = StaffFactory(is_superuser=True)
    with pytest.raises(CommandError, match="--yes"):
        call_command("person_erase", member.email, by=superuser.email)
    with pytest.raises(CommandError, match="superuser"):
        call_command("person_erase", member.email, by=world.users["staff"].email, yes=True)
    call_command("person_erase", member.email, by=superuser.email, yes=True)
    member.refresh_from_db()
    assert member.email == f"erased-{member.pk}@erased.invalid"


def test_the_admin_exports_one_person_and_only_a_superuser_may_erase(client, world, history):
    member = world.users["member"]
    url = reverse("admin:accelerator_user_changelist")
    user_admin = admin.site._registry[User]
    staff_request = client.request().wsgi_request
    staff_request.user = world.users["staff"]
    assert not user_admin.has_erase_permission(staff_request)
    client.force_login(StaffFactory(is_superuser=True))
    response = client.post(url, {"action": "export_personal_data", "_selected_action": [member.pk]})
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["person"]["email"] == member.email
    client.post(url, {"action": "erase_personal_data", "_selected_action": [member.pk]})
    member.refresh_from_db()
    assert member.full_name == f"Erased person {member.pk}"


def test_session_feedback_is_history_the_admin_cannot_delete(rf):
    from agenda.models import SessionFeedback

    request = rf.get("/")
    request.user = StaffFactory(is_superuser=True)
    assert not admin.site._registry[SessionFeedback].has_delete_permission(request)


def test_editing_a_check_in_keeps_who_attended_it_after_they_left_the_team(world, history):
    from coaching.services.checkins import checkin_update

    _convening, checkin, membership = history
    membership_remove(membership=membership, actor=world.users["staff"])
    with scopes_disabled():
        mayor = Membership.objects.get(user=world.users["mayor"], city=world.city)
        # The form offers only the team as it is now; the person who left is not among the choices.
        checkin_update(checkin=checkin, actor=world.users["coach"], attendees=[mayor])
        attended = set(CheckIn.attendees.through.objects.filter(checkin=checkin).values_list("membership", flat=True))
    assert attended == {membership.pk, mayor.pk}
