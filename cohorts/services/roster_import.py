"""Bulk set-up of a cohort from a roster file: cities and people, previewed, then confirmed.

`roster_preview` reads the file and stores it with its plan (what each row will create or
change, and every problem next to its row) in an ImportBatch. `roster_import_confirm` works the
plan out again from the stored rows, refuses if it no longer matches what was previewed, and
applies it in one transaction: cities first, then everyone who is not a mayor (so a mayor who
changes role frees the seat), then mayors. Invitations go through the one invitation service and
so through the outbox, in the same transaction. A row that changes nothing does nothing, so
importing the same file again changes nothing."""

import functools
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation

from ..models import City, ImportBatch, Membership, Role, RoleInvitation
from ..roster_files import RosterRow, read_roster
from .dashboard_rows import dashboard_rows_changed
from .invitations import invitation_create
from .teams import membership_change_role

CITY_FIELDS = ("country", "time_zone", "language")
ZONES = zoneinfo.available_timezones()
LANGUAGE_CODES = {code.lower().replace("_", "-"): code for code, _name in settings.LANGUAGES}


class PersonAction:
    NONE = ""  # a city-only row
    INVITE = "invite"
    REINVITE = "reinvite"
    ADD = "add"
    CHANGE_ROLE = "change_role"
    UNCHANGED = "unchanged"


@dataclass
class _World:
    """What the cohort holds now, read once for the whole file."""

    cities: dict  # lower name -> City
    users: dict  # lower email -> User
    memberships: dict  # user id -> Membership (with city and cohort)
    invitations: dict  # lower email -> open RoleInvitation
    mayors: dict  # city id -> mayor's lower email (membership or open invitation)


def _world(cohort, rows):
    emails = {row.values["email"].lower() for row in rows if row.values["email"]}
    with scopes_disabled():  # a whole cohort, and people's places in other cohorts
        cities = {city.name.lower(): city for city in City.objects.filter(cohort=cohort)}
        users = {user.email.lower(): user
                 for user in get_user_model().objects.annotate(lower_email=Lower("email"))
                 .filter(lower_email__in=emails)}
        # A person may be on one city's team per cohort: only this cohort's membership matters here,
        # ended or not (one that ended is kept as history and decides where they may come back).
        memberships = {m.user_id: m for m in Membership.history.filter(user__in=users.values(), cohort=cohort)
                       .select_related("city__cohort", "user")}
        now = timezone.now()
        open_invitations = RoleInvitation.objects.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now).select_related("city")
        invitations = {i.email.lower(): i for i in open_invitations.annotate(lower_email=Lower("email"))
                       .filter(lower_email__in=emails)}
        mayors = {}
        for invitation in open_invitations.filter(city__cohort=cohort, role=Role.MAYOR):
            mayors[invitation.city_id] = invitation.email.lower()
        for membership in Membership.objects.filter(city__cohort=cohort, role=Role.MAYOR).select_related("user"):
            mayors[membership.city_id] = membership.user.email.lower()
    return _World(cities=cities, users=users, memberships=memberships, invitations=invitations, mayors=mayors)


def _clean_city_values(values, errors):
    """The row's country, zone and language, normalised; problems appended to `errors`."""
    cleaned = {"country": values["country"], "time_zone": values["time_zone"], "language": ""}
    if len(values["city"]) > 200:
        errors.append(_("The city's name is longer than 200 characters."))
    if len(values["country"]) > 100:
        errors.append(_("The country is longer than 100 characters."))
    if values["time_zone"] and values["time_zone"] not in ZONES:
        errors.append(_("Unknown time zone “%(zone)s”: use a name such as America/Chicago or Europe/Lisbon.")
                      % {"zone": values["time_zone"]})
    if values["language"]:
        code = LANGUAGE_CODES.get(values["language"].lower().replace("_", "-"))
        if code is None:
            errors.append(_("Unknown language “%(language)s”: use one of %(codes)s.")
                          % {"language": values["language"], "codes": ", ".join(LANGUAGE_CODES.values())})
        cleaned["language"] = code or values["language"]
    return cleaned


def _plan_city(row, entry, seen_cities, world):
    values = row.values
    name = values["city"]
    if not name:
        entry["errors"].append(_("The city is missing."))
        return
    key = name.lower()
    cleaned = _clean_city_values(values, entry["errors"])
    first = seen_cities.get(key)
    if first is not None:
        for column in CITY_FIELDS:
            if cleaned[column] and cleaned[column] != first["values"][column]:
                entry["errors"].append(_("The %(column)s differs from row %(row)s of the same city.")
                                       % {"column": column, "row": first["row"]})
        return
    existing = world.cities.get(key)
    seen_cities[key] = {"row": row.number, "values": cleaned}
    if existing is None:
        missing = [column for column in CITY_FIELDS if not cleaned[column]]
        if missing:
            entry["errors"].append(_("A new city needs its %(columns)s.") % {"columns": ", ".join(missing)})
        entry["city_action"] = "create"
        entry["city_values"] = cleaned
        return
    changes = [column for column in CITY_FIELDS if cleaned[column] and cleaned[column] != getattr(existing, column)]
    if changes:
        entry["city_action"] = "update"
        entry["city_changes"] = {column: [getattr(existing, column), cleaned[column]] for column in changes}
    # Unwritten columns keep what the city has, so later rows compare against the city itself.
    for column in CITY_FIELDS:
        seen_cities[key]["values"][column] = cleaned[column] or getattr(existing, column)


@functools.cache
def _role_codes():
    """A role by its code or its English name ("mayor", "Chief data officer"); built once."""
    with translation.override("en"):
        return {**{str(label).lower(): code for code, label in Role.choices}, **{code: code for code in Role.values}}


def _clean_person(values, errors):
    role = _role_codes().get(values["role"].strip().lower())
    if not values["role"]:
        errors.append(_("The role is missing."))
    elif role is None:
        errors.append(_("Unknown role “%(role)s”: use one of %(codes)s.")
                      % {"role": values["role"], "codes": ", ".join(Role.values)})
    if not values["name"]:
        errors.append(_("The name is missing."))
    elif len(values["name"]) > 200:
        errors.append(_("The name is longer than 200 characters."))
    email = values["email"].lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.append(_("“%(email)s” is not an email address.") % {"email": values["email"]} if email
                      else _("The email is missing."))
    if role == Role.OTHER and not values["title"]:
        errors.append(_("Give the job title for “Other role”."))
    if len(values["title"]) > 200:
        errors.append(_("The title is longer than 200 characters."))
    return role, email


def _plan_person(row, entry, seen_emails, world, cohort):
    values = row.values
    known_errors = len(entry["errors"])  # the city's: the person is still checked, to name every problem
    role, email = _clean_person(values, entry["errors"])
    entry.update(email=email, role=role or values["role"], name=values["name"], title=values["title"])
    if email in seen_emails:
        entry["errors"].append(_("The email %(email)s is also on row %(row)s: one row per person.")
                               % {"email": email, "row": seen_emails[email]})
        return
    if email:
        seen_emails[email] = row.number
    if len(entry["errors"]) > known_errors:
        return
    city = world.cities.get(values["city"].lower())
    user = world.users.get(email)
    if user is not None:
        if user.is_staff or user.is_coach:
            entry["errors"].append(_("%(email)s is program staff or a coach; they belong to no city.")
                                   % {"email": email})
            return
        membership = world.memberships.get(user.pk)
        same_city = membership is not None and city is not None and membership.city_id == city.pk
        if membership is None or (membership.ended_at is not None and same_city):
            entry["person_action"] = PersonAction.ADD  # new to the cohort, or back on the team they left
        elif membership.ended_at is not None:
            entry["errors"].append(
                _("This person left %(city)s's team in this cohort; that membership is kept as history, so they "
                  "cannot join another city's team in the same cohort.") % {"city": membership.city.name})
        elif same_city:
            same = membership.role == role and membership.title == values["title"]
            entry["person_action"] = PersonAction.UNCHANGED if same else PersonAction.CHANGE_ROLE
            if not same:
                entry["before_role"] = membership.role
        else:
            entry["errors"].append(_("%(email)s is already on the team of %(city)s in this cohort.")
                                   % {"email": email, "city": membership.city.name})
        return
    invitation = world.invitations.get(email)
    if invitation is None:
        entry["person_action"] = PersonAction.INVITE
    elif invitation.city_id is None or city is None or invitation.city_id != city.pk:
        where = invitation.city.name if invitation.city_id else invitation.get_kind_display()
        entry["errors"].append(_("%(email)s already has an open invitation (%(where)s). Withdraw it on that "
                                 "team's page first.") % {"email": email, "where": where})
    elif (invitation.role, invitation.title, invitation.full_name) == (role, values["title"], values["name"]):
        entry["person_action"] = PersonAction.UNCHANGED
    else:
        entry["person_action"] = PersonAction.REINVITE


def _check_mayors(entries, world):
    """One mayor per city: in the file, and against the mayor the city already has or has invited."""
    leaving = {(e["city"].lower(), e["email"]) for e in entries if e.get("role") and e["role"] != Role.MAYOR}
    mayor_rows = {}
    for entry in entries:
        if entry.get("role") != Role.MAYOR or not entry["person_action"]:
            continue
        key = entry["city"].lower()
        if key in mayor_rows:
            entry["errors"].append(_("A second mayor for %(city)s: row %(row)s is its mayor. A city has one mayor.")
                                   % {"city": entry["city"], "row": mayor_rows[key]})
            continue
        mayor_rows[key] = entry["row"]
        city = world.cities.get(key)
        current = world.mayors.get(city.pk) if city is not None else None
        if current and current != entry["email"] and (key, current) not in leaving:
            entry["errors"].append(_("%(city)s already has a mayor (%(email)s). Give them their new role in this "
                                     "file, or change it on the team page first.")
                                   % {"city": entry["city"], "email": current})


def roster_plan(*, cohort, rows):
    """What importing `rows` (RosterRows) into `cohort` would do, one entry per row."""
    world = _world(cohort, rows)
    entries, seen_cities, seen_emails = [], {}, {}
    for row in rows:
        entry = {"row": row.number, "city": row.values["city"], "city_action": "", "person_action": "",
                 "email": "", "role": "", "name": "", "title": "", "errors": []}
        for column in row.formulas:
            entry["errors"].append(_("The %(column)s cell holds a formula, which is not calculated: type the value "
                                     "itself.") % {"column": column})
        _plan_city(row, entry, seen_cities, world)
        if any(row.values[column] for column in ("role", "name", "email", "title")):
            _plan_person(row, entry, seen_emails, world, cohort)
        entries.append(entry)
    _check_mayors(entries, world)
    return entries


def plan_signature(plan):
    """What a confirmation must still find: every row's change (not the wording of its messages)."""
    return [(e["row"], e["city_action"], e.get("city_values"), e.get("city_changes"), e["person_action"],
             e["email"], e["role"], e["name"], e["title"], bool(e["errors"])) for e in plan]


def plan_counts(plan):
    counts = {"cities_created": 0, "cities_updated": 0, "invited": 0, "added": 0, "changed": 0, "unchanged": 0,
              "errors": 0}
    for entry in plan:
        counts["errors"] += bool(entry["errors"])
        counts["cities_created"] += entry["city_action"] == "create"
        counts["cities_updated"] += entry["city_action"] == "update"
        action = entry["person_action"]
        counts["invited"] += action in (PersonAction.INVITE, PersonAction.REINVITE)
        counts["added"] += action == PersonAction.ADD
        counts["changed"] += action == PersonAction.CHANGE_ROLE
        counts["unchanged"] += action == PersonAction.UNCHANGED
    return counts


def roster_preview(*, cohort, file_name, content, actor):
    """Read an uploaded file and store it with its plan. RosterFileError if the file itself is unreadable."""
    rows = read_roster(name=file_name, content=content)
    plan = roster_plan(cohort=cohort, rows=rows)
    stored = [{"number": row.number, "values": row.values, "formulas": row.formulas} for row in rows]
    return ImportBatch.objects.create(cohort=cohort, file_name=file_name[:255], rows=stored, plan=plan,
                                      uploaded_by=actor)


class PlanChanged(Exception):
    """The cohort changed since the preview: the batch holds the new plan, to be looked at again."""


def _unique_slug(name, cohort):
    base = slugify(name)[:60] or "city"
    candidates = [base, f"{base}-{cohort.slug}"[:80]] + [f"{base}-{cohort.slug}"[:76] + f"-{n}" for n in range(2, 50)]
    taken = set(City.objects.filter(slug__in=candidates).values_list("slug", flat=True))
    return next(slug for slug in candidates if slug not in taken)


def _apply_cities(plan, cohort, actor):
    cities = {city.name.lower(): city for city in City.objects.filter(cohort=cohort)}
    changed_ids = []
    for entry in plan:
        if entry["city_action"] == "create":
            values = entry["city_values"]
            city = City.objects.create(cohort=cohort, name=entry["city"], slug=_unique_slug(entry["city"], cohort),
                                       **values)
            audit_record(city=city, actor=actor, action="city.created", data={"city_name": city.name})
            cities[city.name.lower()] = city
        elif entry["city_action"] == "update":
            city = cities[entry["city"].lower()]
            for column, (_before, after) in entry["city_changes"].items():
                setattr(city, column, after)
            city.save(update_fields=list(entry["city_changes"]))
            changed_ids.append(city.pk)
    if changed_ids:
        dashboard_rows_changed(city_ids=changed_ids)
    return cities


def _apply_person(entry, city, actor):
    if entry["person_action"] == PersonAction.CHANGE_ROLE:
        membership = Membership.objects.select_related("user", "city").get(
            city=city, user__email__iexact=entry["email"])
        membership_change_role(membership=membership, role=entry["role"], title=entry["title"], actor=actor)
    elif entry["person_action"] in (PersonAction.INVITE, PersonAction.REINVITE, PersonAction.ADD):
        invitation_create(email=entry["email"], full_name=entry["name"], kind=RoleInvitation.Kind.CITY, city=city,
                          role=entry["role"], title=entry["title"], actor=actor)


def _stored_rows(batch):
    return [RosterRow(number=r["number"], values=r["values"], formulas=r["formulas"]) for r in batch.rows]


def roster_import_confirm(*, batch, actor):
    """Apply a previewed batch, all of it or nothing, in one transaction. Returns the counts.

    PlanChanged if the cohort changed since the preview (the batch then holds the new plan);
    RuleViolation if the batch was imported already or still has problems."""
    cohort = batch.cohort
    with transaction.atomic(), scopes_disabled():  # one cohort's many cities, on purpose
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status == ImportBatch.Status.APPLIED:
            raise RuleViolation(_("This file was imported already."))
        plan = roster_plan(cohort=cohort, rows=_stored_rows(locked))
        changed = plan_signature(plan) != plan_signature(locked.plan)
        if changed:
            locked.plan = plan
            locked.save(update_fields=["plan"])
        elif any(entry["errors"] for entry in plan):
            raise RuleViolation(_("Some rows have problems. Correct the file and upload it again."))
        else:
            cities = _apply_cities(plan, cohort, actor)
            # Everyone else first, so a mayor who takes another role frees the seat for the new one.
            for entry in sorted(plan, key=lambda entry: entry["role"] == Role.MAYOR):
                if entry["person_action"] and entry["person_action"] != PersonAction.UNCHANGED:
                    _apply_person(entry, cities[entry["city"].lower()], actor)
            counts = plan_counts(plan)
            locked.status, locked.applied_at = ImportBatch.Status.APPLIED, timezone.now()
            locked.save(update_fields=["status", "applied_at"])
            audit_record(cohort=cohort, actor=actor, action="cohort.roster_imported",
                         data={"file_name": locked.file_name, **counts})
    if changed:
        raise PlanChanged
    batch.refresh_from_db()
    return counts
