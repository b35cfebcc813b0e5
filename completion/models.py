"""A city's outcome when its cohort ends, and the cohort's completion rule.

The outcome is derived from the ledger, the convening's eligibility reviews and the strategy
(`completion.services.outcomes.outcome_derive`); staff confirm it per city, with a written reason
when they set another outcome than the derived one. The confirmed row keeps the explanation as it
read when confirmed, so the certificate and the record do not move with later edits."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from accelerator.codes import new_public_code

DEFAULT_ATTENDANCE_THRESHOLD = 75


class Outcome(models.TextChoices):
    COMPLETED = "completed", pgettext_lazy("city outcome", "Completed")
    NOT_COMPLETED = "not_completed", pgettext_lazy("city outcome", "Not completed")
    WITHDRAWN = "withdrawn", pgettext_lazy("city outcome", "Withdrawn")


class CompletionSettings(models.Model):
    """Per-cohort completion rule. A cohort without a row uses the default threshold."""

    cohort = models.OneToOneField(
        "cohorts.Cohort", on_delete=models.PROTECT, related_name="completion_settings", verbose_name=_("cohort")
    )
    attendance_threshold = models.PositiveSmallIntegerField(
        _("required sessions attended (%)"),
        default=DEFAULT_ATTENDANCE_THRESHOLD,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The share of a city's marked attendance at required sessions that counts as attended."),
    )

    class Meta:
        verbose_name = _("completion settings")
        verbose_name_plural = _("completion settings")

    def __str__(self):
        return str(self.cohort)


def attendance_threshold(cohort):
    row = getattr(cohort, "completion_settings", None) if cohort is not None else None
    return row.attendance_threshold if row is not None else DEFAULT_ATTENDANCE_THRESHOLD


class CityOutcome(models.Model):
    """Staff's confirmation of a city's outcome. `derived` is what the rule said at the time."""

    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    city = models.OneToOneField("cohorts.City", on_delete=models.PROTECT, related_name="outcome",
                                verbose_name=_("city"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    derived = models.CharField(_("derived outcome"), max_length=16, choices=Outcome.choices)
    explanation = models.JSONField(_("explanation"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_by_name = models.CharField(_("confirmed by"), max_length=200, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), default=timezone.now)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("city outcome")
        verbose_name_plural = _("city outcomes")
        ordering = ["city__name"]

    def __str__(self):
        return f"{self.city}: {self.get_outcome_display()}"

    @property
    def is_completed(self):
        return self.outcome == Outcome.COMPLETED

    @property
    def is_override(self):
        return self.outcome != self.derived
