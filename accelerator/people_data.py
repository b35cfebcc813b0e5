"""A person's data: everything that names them, as one file, and erasure in place.

Part of the project's composition layer (it reads every app's models, through the app registry):
- `person_export(user)` collects every row of every model that points at the person (and the
  team memberships' check-ins they attended), their outgoing messages and the audit events that
  name them, as a JSON-ready dict.
- `person_erase(user, actor)` (superusers only) replaces their name and email in place — in the
  account, their sign-in addresses, the names copied into audit lines, messages and records —
  and closes the account. Every record stays, so attendance, decisions and history keep their
  shape; only who it was is gone. The erasure itself is audited, without the old name."""

import json
import re

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from .audit import audit_record
from .errors import RuleViolation
from .models import AuditEvent
from .outbox.models import OutgoingMessage

ERASED_DOMAIN = "erased.invalid"


def _pointers(user_model):
    """(model, field name) of every relation in the project that points at a person."""
    for model in apps.get_models():
        if model is user_model:
            continue
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is user_model:
                yield model, field


def _label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def person_export(user):
    """Everything that names `user`, as a dict of lists of plain values."""
    user_model = get_user_model()
    data = {"exported_at": timezone.now(), "person": {
        "email": user.email, "full_name": user.full_name, "time_zone": user.time_zone, "language": user.language,
        "is_staff": user.is_staff, "is_coach": user.is_coach, "date_joined": user.date_joined,
        "last_login": user.last_login,
    }, "records": {}}
    secrets = {"password", "calendar_token", "token_hash", "secret"}
    with scopes_disabled():
        for model, field in _pointers(user_model):
            rows = model._base_manager.filter(**{field.name: user})
            values = [{k: v for k, v in row.items() if k not in secrets} for row in rows.values()]
            if values:
                data["records"].setdefault(_label(model), []).extend(values)
        # Coaching check-ins name a person through their team membership.
        membership_model = apps.get_model("cohorts", "Membership")
        memberships = list(membership_model._base_manager.filter(user=user).values_list("pk", flat=True))
        if memberships:
            checkins = apps.get_model("coaching", "CheckIn")._base_manager.filter(attendees__in=memberships)
            data["records"]["coaching.checkin (attended)"] = list(
                checkins.values("code", "city__name", "held_on", "summary").distinct())
        audit = AuditEvent._base_manager.filter(_audit_mentions(user)).values(
            "created_at", "action", "actor_label", "summary", "reason", "data")
        data["records"]["accelerator.auditevent (names the person)"] = list(audit)
        messages = OutgoingMessage._base_manager.filter(Q(recipient=user) | Q(to_email__iexact=user.email))
        data["records"]["accelerator.outgoingmessage (to the person)"] = list(
            messages.values("kind", "subject", "to_email", "status", "created_at", "sent_at"))
    return data


def person_export_json(user):
    return json.dumps(person_export(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, default=str)


def _audit_mentions(user):
    mentions = Q(actor=user) | Q(data__icontains=user.email)
    if user.full_name:
        mentions |= Q(data__icontains=user.full_name) | Q(summary__icontains=user.full_name)
    return mentions


def _mention(text):
    """A pattern for `text` (a name or an address) standing on its own: not inside a longer word
    or address, so erasing "ana@example.org" leaves "mariana@example.org" and erasing "Li" leaves
    "Lisbon". Addresses match in any case, as they are compared."""
    flags = re.IGNORECASE if "@" in text else 0
    return re.compile(rf"(?<![\w.@+-]){re.escape(text)}(?![\w@-])", flags)


def _scrub(value, old, new):
    """`value` (a string, or lists and dicts of them) with each of `old` (the email, the name)
    replaced by its counterpart in `new` wherever it stands on its own (`_mention`)."""
    if isinstance(value, str):
        for before, after in zip(old, new, strict=True):
            if before:
                value = _mention(before).sub(lambda _match, after=after: after, value)
        return value
    if isinstance(value, list):
        return [_scrub(item, old, new) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, old, new) for key, item in value.items()}
    return value


def person_erase(*, user, actor):
    """Replace `user`'s name and email in place everywhere they are written down; keep every record."""
    if not actor.is_superuser:
        raise RuleViolation(_("Only a superuser can erase a person's data."))
    if user.pk == actor.pk:
        raise RuleViolation(_("You cannot erase your own account."))
    if user.email.endswith("@" + ERASED_DOMAIN):
        return user
    old_email, old_name = user.email, user.full_name
    new_name, new_email = _("Erased person %(n)d") % {"n": user.pk}, f"erased-{user.pk}@{ERASED_DOMAIN}"
    old, new = (old_email, old_name), (new_email, new_name)
    with transaction.atomic(), scopes_disabled():
        events = list(AuditEvent._base_manager.select_for_update().filter(_audit_mentions(user)))
        for event in events:
            event.data = _scrub(event.data, old, new)
            event.summary = _scrub(event.summary, old, new)
            if event.actor_id == user.pk:
                event.actor_label = new_name
        AuditEvent._base_manager.bulk_update(events, ["data", "summary", "actor_label"])
        OutgoingMessage._base_manager.filter(Q(recipient=user) | Q(to_email__iexact=old_email)).update(
            to_email=new_email, to_name=new_name, context={}, subject="")
        # Names copied beside a person's link, so a record reads the same once the link is gone.
        copies = [("convening", "SurrogateAttempt", "presented_person", "presented_name"),
                  ("completion", "CityOutcome", "confirmed_by", "confirmed_by_name")]
        for app_label, model_name, link, name_field in copies:
            if apps.is_installed(app_label):
                apps.get_model(app_label, model_name)._base_manager.filter(**{link: user}).update(
                    **{name_field: new_name})
        if apps.is_installed("allauth.account"):
            apps.get_model("account", "EmailAddress").objects.filter(user=user).update(
                email=new_email, verified=False, primary=True)
        user.full_name, user.email, user.is_active, user.calendar_token = new_name, new_email, False, None
        user.set_unusable_password()
        user.save()
        audit_record(actor=actor, action="person.erased", data={"person_name": new_name, "count": len(events)})
    return user
