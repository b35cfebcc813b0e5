"""Per-cohort thresholds that turn a video-call participant report into attendance marks."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_LATE_AFTER_MINUTES = 10
DEFAULT_MIN_STAY_PERCENT = 75
DEFAULT_ABSENT_UNDER_MINUTES = 5


class AttendanceThresholds(models.Model):
    """A cohort without a row uses the defaults (`thresholds_for`)."""

    cohort = models.OneToOneField(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="attendance_thresholds", verbose_name=_("cohort")
    )
    late_after_minutes = models.PositiveSmallIntegerField(
        _("late after (minutes)"), default=DEFAULT_LATE_AFTER_MINUTES,
        validators=[MinValueValidator(0), MaxValueValidator(240)],
        help_text=_("Someone who first joined more than this many minutes after the start is marked late."),
    )
    min_stay_percent = models.PositiveSmallIntegerField(
        _("minimum stay (% of the session)"), default=DEFAULT_MIN_STAY_PERCENT,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Someone who was in the call for less of the session than this is marked as having left early."),
    )
    absent_under_minutes = models.PositiveSmallIntegerField(
        _("absent under (minutes)"), default=DEFAULT_ABSENT_UNDER_MINUTES,
        validators=[MinValueValidator(0), MaxValueValidator(240)],
        help_text=_("Someone who was in the call for less than this in all is marked absent."),
    )

    class Meta:
        verbose_name = _("attendance thresholds")
        verbose_name_plural = _("attendance thresholds")

    def __str__(self):
        return str(self.cohort)


def thresholds_for(cohort):
    """The cohort's thresholds, or an unsaved row holding the defaults."""
    row = AttendanceThresholds.objects.filter(cohort=cohort).first()
    return row if row is not None else AttendanceThresholds(cohort=cohort)
