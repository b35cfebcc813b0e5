import pytest
from django.contrib.auth import get_user_model
from django_scopes import scopes_disabled

from accelerator.errors import RuleViolation
from accelerator.models import AuditEvent, OutgoingMessage
from accelerator.tests.factories import UserFactory
from cohorts.models import City, ImportBatch, Membership, Role, RoleInvitation
from cohorts.selectors import cohort_roster_rows
from cohorts.services import roster_import
from cohorts.services.roster_import import PlanChanged, roster_import_confirm, roster_preview
from cohorts.tests.factories import CityFactory, CohortFactory, MembershipFactory
from cohorts.tests.rosters import as_file, roster_rows

pytestmark = pytest.mark.django_db


def preview(cohort, rows, staff, fmt="csv", name=None):
    return roster_preview(cohort=cohort, file_name=name or f"roster.{fmt}", content=as_file(rows, fmt), actor=staff)


def queued(**filters):
    with scopes_disabled():  # the outbox of every city
        return OutgoingMessage.objects.filter(**filters)


def said(errors, row, text):
    return any(text in message for message in errors.get(row, []))


def errors_by_row(batch):
    return {entry["row"]: entry["errors"] for entry in batch.plan if entry["errors"]}


@pytest.fixture
def cohort(db):
    with scopes_disabled():
        return CohortFactory(slug="next-year")


@pytest.fixture
def staff(world):
    return world.users["staff"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_whole_cohort_is_imported_and_importing_it_again_changes_nothing(cohort, staff, fmt):
    rows = roster_rows(15)
    batch = preview(cohort, rows, staff, fmt)
    assert not errors_by_row(batch) and len(batch.plan) == 75
    counts = roster_import_confirm(batch=batch, actor=staff)
    assert counts["cities_created"] == 15 and counts["invited"] == 75
    with scopes_disabled():
        assert City.objects.filter(cohort=cohort).count() == 15
        assert RoleInvitation.objects.filter(city__cohort=cohort).count() == 75
        town = City.objects.get(cohort=cohort, name="Town 2")
        assert (town.country, town.time_zone, town.language) == ("Brazil", "America/Sao_Paulo", "pt-br")
    invited = queued(kind="people.invited").count()
    assert invited == 75
    assert AuditEvent.objects.with_scopes_disabled().filter(action="cohort.roster_imported", cohort=cohort).count() == 1

    again = preview(cohort, rows, staff, fmt)
    assert {entry["person_action"] for entry in again.plan} == {"unchanged"}
    assert not any(entry["city_action"] for entry in again.plan)
    roster_import_confirm(batch=again, actor=staff)
    with scopes_disabled():
        assert City.objects.filter(cohort=cohort).count() == 15
        assert RoleInvitation.objects.filter(city__cohort=cohort).count() == 75
    assert queued(kind="people.invited").count() == invited


def test_a_corrected_file_changes_only_what_changed(cohort, staff):
    rows = roster_rows(3)
    roster_import_confirm(batch=preview(cohort, rows, staff), actor=staff)
    for row in rows[:5]:
        row["time_zone"] = "America/New_York"
    rows[2]["role"], rows[2]["title"] = "other", "Chief Innovation Officer"
    batch = preview(cohort, rows, staff)
    changed = {entry["row"]: (entry["city_action"], entry["person_action"]) for entry in batch.plan
               if entry["city_action"] or entry["person_action"] != "unchanged"}
    assert changed == {2: ("update", "unchanged"), 4: ("", "reinvite")}
    counts = roster_import_confirm(batch=batch, actor=staff)
    assert counts["cities_updated"] == 1 and counts["invited"] == 1
    with scopes_disabled():
        assert City.objects.get(cohort=cohort, name="Town 1").time_zone == "America/New_York"
        open_invitations = RoleInvitation.objects.filter(email="cdo.town1@example.org", revoked_at__isnull=True)
        assert [(i.role, i.title) for i in open_invitations] == [("other", "Chief Innovation Officer")]
        assert RoleInvitation.objects.filter(city__cohort=cohort, revoked_at__isnull=True).count() == 15


def test_every_problem_is_named_next_to_its_row_and_nothing_is_imported(cohort, staff, world):
    rows = roster_rows(2)
    rows[1]["role"] = "treasurer"
    rows[2]["role"] = "mayor"  # Town 1 already has its mayor on row 2
    rows[3]["email"] = "not-an-address"
    rows[4]["email"] = rows[6]["email"]  # the same person twice
    rows[5]["time_zone"] = "Mars/Olympus"
    batch = preview(cohort, rows, staff)
    errors = errors_by_row(batch)
    assert said(errors, 3, "Unknown role “treasurer”")
    assert said(errors, 4, "A second mayor for Town 1: row 2 is its mayor")
    assert said(errors, 5, "“not-an-address” is not an email address")
    assert said(errors, 8, "is also on row 6: one row per person")
    assert said(errors, 7, "Unknown time zone “Mars/Olympus”")
    assert set(errors) == {3, 4, 5, 7, 8, 9, 10, 11}  # Town 2's later rows differ from its first's zone
    with pytest.raises(RuleViolation):
        roster_import_confirm(batch=batch, actor=staff)
    with scopes_disabled():
        assert not City.objects.filter(cohort=cohort).exists()
    assert not queued(kind="people.invited").exists()


def test_last_cohorts_team_member_joins_a_city_of_this_one(cohort, staff, world):
    """A person may be on one city's team per cohort: Alpha City's member joins Town 1 in a later cohort,
    and keeps her place in Alpha City."""
    rows = roster_rows(1)
    rows[1]["email"] = world.users["member"].email
    batch = preview(cohort, rows, staff)
    assert not errors_by_row(batch)
    assert batch.plan[1]["person_action"] == "add"


def test_a_person_in_another_city_of_the_same_cohort_is_refused(world, staff):
    rows = [{"city": world.other_city.name, "country": "United States", "time_zone": "America/Chicago",
             "language": "en", "role": "cdo", "name": "Someone", "email": world.users["member"].email, "title": ""}]
    errors = errors_by_row(preview(world.cohort, rows, staff))
    assert said(errors, 2, "already on the team of Alpha City in this cohort")


def test_a_second_mayor_of_an_existing_city_is_refused_unless_the_file_moves_the_first(world, staff):
    mayor = world.users["mayor"]
    newcomer = {"city": world.city.name, "country": "", "time_zone": "", "language": "", "role": "mayor",
                "name": "New Mayor", "email": "new.mayor@example.org", "title": ""}
    errors = errors_by_row(preview(world.cohort, [newcomer], staff))
    assert said(errors, 2, "Alpha City already has a mayor")
    moved = {**newcomer, "role": "city_manager", "name": mayor.full_name, "email": mayor.email}
    batch = preview(world.cohort, [moved, newcomer], staff)
    assert not errors_by_row(batch)
    roster_import_confirm(batch=batch, actor=staff)
    with scopes_disabled():
        assert Membership.objects.get(user=mayor).role == Role.CITY_MANAGER
        assert RoleInvitation.objects.get(email="new.mayor@example.org").role == Role.MAYOR


def test_someone_with_an_account_joins_at_once(cohort, staff):
    person = UserFactory(email="returning@example.org")
    rows = roster_rows(1)
    rows[1]["email"] = person.email
    roster_import_confirm(batch=preview(cohort, rows, staff), actor=staff)
    with scopes_disabled():
        assert Membership.objects.get(user=person).city.name == "Town 1"
    assert queued(kind="people.role_added", to_email=person.email).exists()


def test_confirming_applies_what_was_previewed_or_asks_to_look_again(cohort, staff):
    rows = roster_rows(1)
    batch = preview(cohort, rows, staff)
    with scopes_disabled():
        CityFactory(cohort=cohort, name="Town 1", time_zone="Europe/Lisbon")
    with pytest.raises(PlanChanged):
        roster_import_confirm(batch=batch, actor=staff)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED and batch.plan[0]["city_action"] == "update"
    roster_import_confirm(batch=batch, actor=staff)
    with pytest.raises(RuleViolation):
        roster_import_confirm(batch=batch, actor=staff)  # a second click imports nothing more


def test_an_import_that_fails_half_way_leaves_nothing(cohort, staff, monkeypatch):
    real, calls = roster_import._apply_person, []

    def fail_on_the_40th(entry, city, actor):
        calls.append(entry["row"])
        if len(calls) == 40:
            raise RuntimeError("the worker died")
        return real(entry, city, actor)

    monkeypatch.setattr(roster_import, "_apply_person", fail_on_the_40th)
    batch = preview(cohort, roster_rows(15), staff)
    with pytest.raises(RuntimeError):
        roster_import_confirm(batch=batch, actor=staff)
    with scopes_disabled():
        assert not City.objects.filter(cohort=cohort).exists()
        assert not RoleInvitation.objects.exists() or not RoleInvitation.objects.filter(city__cohort=cohort).exists()
    assert not queued(kind="people.invited").exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED


def test_the_cohort_exports_in_the_import_format_and_reimports_as_unchanged(world, staff):
    with scopes_disabled():
        MembershipFactory(city=world.city, role=Role.OTHER, title="=HYPERLINK(\"http://x\")")
        CityFactory(cohort=world.cohort, name="Gamma City")
    rows = cohort_roster_rows(world.cohort)
    assert {"city": "Gamma City", "country": "United States", "time_zone": "America/Chicago",
            "language": "en"} in rows
    batch = preview(world.cohort, rows, staff, "xlsx")
    assert not errors_by_row(batch)
    assert {entry["person_action"] for entry in batch.plan} == {"unchanged", ""}
    assert not any(entry["city_action"] for entry in batch.plan)
    assert get_user_model().objects.count() == 7 + 1  # the world's seven and the new member


def test_a_role_may_be_written_as_its_english_name(cohort, staff):
    rows = roster_rows(1)
    rows[2]["role"] = "Chief data officer"
    batch = preview(cohort, rows, staff)
    assert not errors_by_row(batch) and batch.plan[2]["role"] == "cdo"


def test_a_person_who_left_another_citys_team_in_this_cohort_is_refused_in_the_preview(world, staff):
    from cohorts.services.teams import membership_remove

    with scopes_disabled():
        membership = Membership.objects.get(user=world.users["member"])
    membership_remove(membership=membership, actor=staff)
    rows = [{"city": world.other_city.name, "country": "United States", "time_zone": "America/Chicago",
             "language": "en", "role": "cdo", "name": "Someone", "email": world.users["member"].email, "title": ""}]
    errors = errors_by_row(preview(world.cohort, rows, staff))
    assert said(errors, 2, "left Alpha City's team in this cohort")
    rows[0]["city"] = world.city.name  # coming back to the team they left is fine
    assert not errors_by_row(preview(world.cohort, rows, staff))
