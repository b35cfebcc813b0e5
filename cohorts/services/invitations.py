"""Invitations: staff invite a person by email to a role; the link sets a password once."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from accelerator.outbox.services import Address, mail_send
from cohorts.models import RoleInvitation

from ..models.invitations import hash_token, new_token
from .teams import check_mayor_free, membership_add


class InvitationUnusable(Exception):
    """The link cannot be used; `reason` says why in words for the person holding it."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _grant_role(*, user, kind, city, role, title, actor):
    if kind == RoleInvitation.Kind.CITY:
        return membership_add(city=city, user=user, role=role, title=title, actor=actor)
    if user.__class__.objects.filter(pk=user.pk, memberships__isnull=False,
                                     memberships__ended_at__isnull=True).exists():
        raise RuleViolation(_("This person belongs to a city team; coaches and staff belong to no city."),
                            field="email")
    field = "is_coach" if kind == RoleInvitation.Kind.COACH else "is_staff"
    if not getattr(user, field):
        setattr(user, field, True)
        user.save(update_fields=[field])
        audit_record(
            actor=actor,
            action=f"people.{kind}_granted",
            data={"user": user.email, "person_name": str(user), "kind": kind},
        )
    return user


def invitation_create(*, email, full_name, kind, actor, city=None, role="", title=""):
    """Invite someone to a role. An existing account gets the role at once and a notice;
    a new address gets a single-use link that expires. Returns the invitation or the user."""
    email = email.strip().lower()
    User = get_user_model()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        with transaction.atomic():
            granted = _grant_role(user=existing, kind=kind, city=city, role=role, title=title, actor=actor)
            # An existing account reads it in its own language.
            mail_send(
                "people.role_added", to=existing, city=city,
                key=f"role-added:{existing.pk}:{kind}:{city.pk if city else ''}:{int(timezone.now().timestamp())}",
                context={"user": existing, "city": city, "kind": kind, "actor": actor},
            )
        return granted

    if kind == RoleInvitation.Kind.CITY and city is None:
        raise RuleViolation(_("Choose the city."), field="city")
    if kind == RoleInvitation.Kind.CITY:
        check_mayor_free(city=city, role=role)
    token = new_token()
    with transaction.atomic():
        # A new invitation to the same address replaces any earlier one that is still open.
        with scopes_disabled():
            RoleInvitation.objects.filter(
                email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
            ).update(revoked_at=timezone.now())
        invitation = RoleInvitation.objects.create(
            email=email,
            full_name=full_name,
            kind=kind,
            city=city,
            role=role if kind == RoleInvitation.Kind.CITY else "",
            title=title,
            token_hash=hash_token(token),
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        audit_record(
            city=city,
            actor=actor,
            action="people.invited",
            data={"email": email, "kind": invitation.kind, "role": invitation.role, "title": invitation.title},
        )
        link = settings.SITE_URL + reverse("invitation_accept", kwargs={"token": token})
        # A newcomer reads it in the city's language and zone (staff and coaches in the default).
        mail_send(
            "people.invited", city=city, key=f"invitation:{invitation.pk}",
            to=Address(email=email, name=full_name, language=city.language if city else settings.LANGUAGE_CODE,
                       time_zone=city.time_zone if city else "UTC"),
            context={"invitation": invitation, "link": link, "actor": actor},
        )
    return invitation


def invitation_for_token(token):
    """The invitation behind a link, or InvitationUnusable with the reason."""
    with scopes_disabled():  # the link itself is the credential; the city follows from it
        invitation = RoleInvitation.objects.select_related("city").filter(token_hash=hash_token(token)).first()
    if invitation is None:
        return None
    if invitation.accepted_at is not None:
        raise InvitationUnusable(_("This invitation has already been used. Sign in with your email and password."))
    if invitation.revoked_at is not None:
        raise InvitationUnusable(_("This invitation was replaced or withdrawn. Use the newest email you received, or "
                                   "ask program staff."))
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusable(_("This invitation has expired. Ask program staff to send you a new one."))
    return invitation


def invitation_accept(*, invitation, full_name, password):
    """Create the account from an invitation, exactly once even if the form is sent twice."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    with transaction.atomic(), scopes_disabled():
        locked = RoleInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None or locked.revoked_at is not None or locked.expires_at <= timezone.now():
            raise InvitationUnusable(_("This invitation can no longer be used."))
        if User.objects.filter(email__iexact=locked.email).exists():
            raise InvitationUnusable(_("An account with this email already exists. Sign in instead."))
        user = User.objects.create_user(email=locked.email, password=password, full_name=full_name)
        if locked.city is not None:
            user.language = locked.city.language
            user.time_zone = locked.city.time_zone
            user.save(update_fields=["language", "time_zone"])
        # The link arrived at this address, which proves the person reads it.
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        try:
            _grant_role(
                user=user, kind=locked.kind, city=locked.city, role=locked.role, title=locked.title,
                actor=locked.invited_by,
            )
        except RuleViolation as violation:  # e.g. the city found its mayor since the invitation
            transaction.set_rollback(True)
            raise InvitationUnusable(
                _("This invitation's role can no longer be given (%(why)s) Ask program staff for a new invitation.")
                % {"why": " ".join(violation.messages)}
            ) from violation
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
        audit_record(
            city=locked.city,
            actor=user,
            action="people.invitation_accepted",
            data={"user": user.email, "person_name": str(user)},
        )
    return user


def invitation_revoke(*, invitation, actor):
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        city=invitation.city, actor=actor, action="people.invitation_revoked",
        data={"email": invitation.email},
    )
    return invitation
