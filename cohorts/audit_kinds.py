"""The audit events this app records. Placeholders are keys of the event's data; names are kept
as they were at the time, choice values are turned into labels when the event is read."""

from django.utils.translation import gettext_lazy as _

from accelerator.audit_registry import register_group, register_kind

from .models import City, Role, RoleInvitation
from .models.teams import role_label_of

_ROLE_NAMES = dict(Role.choices)  # lazily translated: each reads in the reader's language


def role_label(role_key="role", title_key="title"):
    """A team role as it reads, the job title standing in for "Other role" (as Membership.role_label)."""
    def label(data):
        return role_label_of(data[role_key], data.get(title_key) or "", labels=_ROLE_NAMES)
    return label


def invitation_role_label(data):
    """What an invitation offers, as RoleInvitation.role_label reads it."""
    if data["kind"] != RoleInvitation.Kind.CITY:
        return dict(RoleInvitation.Kind.choices).get(data["kind"], data["kind"])
    return role_label()(data)


register_group("team", _("Team"))
register_group("people", _("People and invitations"))
register_group("coach", _("Coach assignments"))
register_group("city", _("Cities"))
register_group("cohort", _("Cohorts"))

register_kind("team.member_added", _("%(person_name)s joined the team as %(role)s"), labels={"role": role_label()})
register_kind("team.role_changed", _("%(person_name)s: %(before)s → %(after)s"),
              labels={"before": role_label("before_role", "before_title"), "after": role_label()})
register_kind("team.member_removed", _("%(person_name)s left the team (%(role)s)"), labels={"role": role_label()})
register_kind("coach.assigned", _("%(coach_name)s now coaches this city"))
register_kind("coach.unassigned", _("%(coach_name)s is no longer this city's coach"))

register_kind("people.coach_granted", _("%(person_name)s became %(kind)s"), labels={"kind": RoleInvitation.Kind})
register_kind("people.staff_granted", _("%(person_name)s became %(kind)s"), labels={"kind": RoleInvitation.Kind})
register_kind("people.invited", _("%(email)s invited as %(role)s"), labels={"role": invitation_role_label})
register_kind("people.invitation_accepted", _("%(person_name)s accepted the invitation"))
register_kind("people.invitation_revoked", _("Invitation to %(email)s withdrawn"))

register_kind("city.created", _("City %(city_name)s added to the cohort"))
register_kind("city.status_changed", _("Participation status: %(before)s → %(after)s"),
              labels={"before": City.Status, "after": City.Status})
register_kind("cohort.created", _("Cohort %(cohort_name)s created"))
register_kind("cohort.copied", _("Cohort %(cohort_name)s copied from %(source_name)s: dates moved %(days)s days, "
                                 "%(cities)s cities enrolled again, %(sessions)s sessions"))
register_kind("cohort.roster_imported",
              _("Roster file %(file_name)s imported: %(cities_created)s cities added, %(cities_updated)s changed, "
                "%(invited)s people invited, %(added)s added, %(changed)s roles changed"))

register_kind("export.cities", _("Cities exported as CSV"))
register_kind("export.people", _("People exported as CSV"))
register_kind("export.roster", _("Cohort roster exported (cities and people, in the import file's format)"))
