from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accelerator.codes import new_public_code


class Role(models.TextChoices):
    MAYOR = "mayor", _("Mayor")
    CITY_MANAGER = "city_manager", _("City manager or chief of staff")
    CHIEF_DATA_OFFICER = "cdo", _("Chief data officer")
    EQUITY_LEAD = "equity", _("Equity and accountability lead")
    POLICY = "policy", _("Chief policy staffer")
    COMMUNICATIONS = "comms", _("Communications lead")
    OTHER = "other", _("Other role")


def role_label_of(role, title, *, labels=None):
    """A team role as it reads: the person's own job title for "Other role", else the role's name.
    A long list passes `labels`, each role's name in the reader's language read once."""
    if role == Role.OTHER and title:
        return title
    return str((labels or dict(Role.choices)).get(role, role))


class MembershipQuerySet(models.QuerySet):
    def mayors(self):
        return self.filter(role=Role.MAYOR)


class CurrentMembershipManager(models.Manager.from_queryset(MembershipQuerySet)):
    """Only the memberships in force: a person who left a team keeps their row (their check-ins,
    action items and attendance still name it), but is no longer on the team."""

    def get_queryset(self):
        return super().get_queryset().filter(ended_at__isnull=True)


class Membership(models.Model):
    """A person's role in a city. A person belongs to at most one city per cohort (so a returning
    city's people join it again in a later cohort, their earlier membership kept); a city has one
    mayor.

    `cohort` repeats the city's cohort so the database can hold "one city per person per cohort"
    as a unique key; it is filled from the city on save, and on PostgreSQL a foreign key on
    (city, cohort) to the city's own pair keeps the two from ever disagreeing.

    Leaving a team ends the membership (`ended_at`); the row stays, for the history that names it."""

    SENIOR_TEAM_MIN = 3
    SENIOR_TEAM_MAX = 4

    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="memberships")
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.PROTECT, related_name="memberships", editable=False, verbose_name=_("cohort")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("The person's own job title, needed for “Other role”.")
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("left the team"), null=True, blank=True)

    # The team now; `history` holds every membership, ended ones included.
    objects = ScopedManager(_manager_class=CurrentMembershipManager, city="city")
    history = ScopedManager(_manager_class=models.Manager.from_queryset(MembershipQuerySet), city="city")

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["city", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["city"], condition=Q(role="mayor", ended_at__isnull=True),
                                    name="one_current_mayor_per_city"),
            models.UniqueConstraint(fields=["user", "cohort"], name="one_city_per_person_per_cohort"),
            models.CheckConstraint(
                condition=~Q(role="other") | ~Q(title=""), name="other_role_has_title"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.role_label})"

    def save(self, *args, **kwargs):
        self.cohort_id = self.city.cohort_id
        super().save(*args, **kwargs)

    @property
    def is_mayor(self):
        return self.role == Role.MAYOR and self.ended_at is None

    @property
    def role_label(self):
        return role_label_of(self.role, self.title)


class CoachAssignment(models.Model):
    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="coach_assignments")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coach_assignments",
        limit_choices_to={"is_coach": True},
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    # When the coach stopped coaching the city: the assignment stays, for the history. Assigning
    # the same coach again opens it again (one row per coach and city).
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("coach assignment")
        verbose_name_plural = _("coach assignments")
        constraints = [models.UniqueConstraint(fields=["city", "coach"], name="one_assignment_per_coach_city")]

    def __str__(self):
        return f"{self.coach} → {self.city}"
