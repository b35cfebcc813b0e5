"""The messages of tenancy: invitations to join and new roles (see the README's table)."""

from django.utils.translation import gettext_lazy as _

from accelerator.outbox.registry import register_loader, register_message

from .models import Membership, RoleInvitation

register_loader("cohorts.membership", lambda pks: Membership.objects
                .select_related("user", "city").in_bulk(pks))


def _open_invitation(context, now):
    invitation = context["invitation"]
    if invitation.revoked_at is not None:
        return _("Not sent: the invitation was replaced or withdrawn.")
    if invitation.accepted_at is not None:
        return _("Not sent: the invitation was already used.")
    return None


register_loader("cohorts.roleinvitation", lambda pks: RoleInvitation.objects
                .select_related("city").in_bulk(pks))

register_message(
    "people.invited", template="emails/invitation", subject=_("You are invited"),
    audience=_("A new person, when staff invite their address to a role"),
    why=_("Program staff invited this address to the Accelerator."), still_wanted=_open_invitation,
)
register_message(
    "people.role_added", template="emails/role_added", subject=_("You have a new role"),
    audience=_("A person who has an account, when staff give them a role"),
    why=_("Program staff gave you this role."),
)
