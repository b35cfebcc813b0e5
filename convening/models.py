"""The mayors' convening: personal check-in codes, refused stand-ins, eligibility reviews.

Presence itself lives in the one attendance ledger (`agenda.Attendance` with `day` set); these
models hold what only the convening needs. Everything that belongs to a city carries the city and
a scoped manager."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

# No 0/O, 1/I/L: a code is read aloud and typed on a phone at the desk.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_checkin_code():
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:3]}-{raw[3:]}"


def normalise_code(text):
    """What a person typed or a scanner sent → the stored form ("k7p 4qx" → "K7P-4QX")."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(raw) != CODE_LENGTH:
        return raw
    return f"{raw[:3]}-{raw[3:]}"


class CheckInCodeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class CheckInCode(models.Model):
    """A person's personal code for one convening. Reissuing revokes the old code, which is kept
    so the desk can say "this code was replaced" instead of "unknown"."""

    code = models.CharField(_("code"), max_length=12, unique=True, default=new_checkin_code, editable=False)
    session = models.ForeignKey("agenda.Session", on_delete=models.PROTECT, related_name="checkin_codes")
    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="checkin_codes")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkin_codes")
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    objects = ScopedManager(_manager_class=models.Manager.from_queryset(CheckInCodeQuerySet), city="city")

    class Meta:
        verbose_name = _("check-in code")
        verbose_name_plural = _("check-in codes")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], condition=Q(revoked_at__isnull=True), name="one_active_checkin_code"
            )
        ]

    def __str__(self):
        return f"{self.code} ({self.person})"

    @property
    def is_active(self):
        return self.revoked_at is None


class SurrogateAttempt(models.Model):
    """Someone other than the mayor presented for a city at the desk. Refused, recorded, and never
    counted toward attendance or eligibility."""

    class Reason(models.TextChoices):
        DEPUTY = "deputy", _("A deputy or stand-in for the mayor")
        TEAM_MEMBER = "team_member", _("A team member presenting for the mayor")
        OTHER_CODE = "other_code", _("Someone else's check-in code")
        OTHER = "other", _("Other")

    session = models.ForeignKey("agenda.Session", on_delete=models.PROTECT, related_name="surrogate_attempts")
    day = models.ForeignKey(
        "agenda.ConveningDay", null=True, blank=True, on_delete=models.PROTECT, related_name="surrogate_attempts"
    )
    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="surrogate_attempts")
    presented_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("person who presented"),
    )
    presented_name = models.CharField(_("name given"), max_length=200, blank=True)
    code_used = models.CharField(_("code presented"), max_length=20, blank=True)
    reason = models.CharField(_("what happened"), max_length=16, choices=Reason.choices)
    desk = models.CharField(_("desk"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("surrogate attempt")
        verbose_name_plural = _("surrogate attempts")
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["session", "city"])]

    def __str__(self):
        return f"{self.presenter_label} for {self.city} ({self.get_reason_display()})"

    @property
    def presenter_label(self):
        if self.presented_person_id:
            return str(self.presented_person)
        return self.presented_name or str(_("Unnamed person"))


class EligibilityReview(models.Model):
    """A city whose mayor missed a required segment: not eligible while pending; a staff decision
    with a written reason settles it."""

    class State(models.TextChoices):
        PENDING = "pending_review", _("Not eligible — pending review")
        CONFIRMED = "confirmed_not_eligible", _("Not eligible (confirmed)")
        EXCUSED = "excused", _("Excused")
        ELIGIBLE = "eligible", _("Eligible (overridden)")

    # States in which the city takes part again.
    RESTORED = (State.EXCUSED, State.ELIGIBLE)

    session = models.ForeignKey("agenda.Session", on_delete=models.PROTECT, related_name="eligibility_reviews")
    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="eligibility_reviews")
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.PENDING)
    missed = models.JSONField(_("segments missed"), default=list, blank=True)
    previous_status = models.CharField(_("status before the review"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("eligibility review")
        verbose_name_plural = _("eligibility reviews")
        ordering = ["city__name"]
        constraints = [models.UniqueConstraint(fields=["session", "city"], name="one_review_per_city_convening")]

    def __str__(self):
        return f"{self.city}: {self.get_state_display()}"

    @property
    def is_pending(self):
        return self.state == self.State.PENDING


class EnforcementStep(models.Model):
    """A once-only step of the enforcement that is not about one person (the staff's live list at
    a segment's start, the final list). The unique key is the guard: the step's effects are
    written in the same transaction as this row."""

    key = models.CharField(max_length=80, unique=True)
    session = models.ForeignKey("agenda.Session", on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("enforcement step")
        verbose_name_plural = _("enforcement steps")

    def __str__(self):
        return self.key
