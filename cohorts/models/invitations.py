import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accelerator.codes import new_public_code

from .teams import Role


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_token():
    return secrets.token_urlsafe(32)


class RoleInvitation(models.Model):
    """An emailed link that lets a new person set a password and take up a role.

    Only the token's hash is stored, so a leaked database does not hand out accounts."""

    class Kind(models.TextChoices):
        CITY = "city", _("City team")
        COACH = "coach", _("Coach")
        STAFF = "staff", _("Program staff")

    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("full name"), max_length=200)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    city = models.ForeignKey(
        "cohorts.City", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} ({self.get_kind_display()})"

    @property
    def is_pending(self):
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def role_label(self):
        if self.kind != self.Kind.CITY:
            return self.get_kind_display()
        if self.role == Role.OTHER and self.title:
            return self.title
        return self.get_role_display()
