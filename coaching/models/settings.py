from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_CADENCE_DAYS = 14


class CoachingSettings(models.Model):
    """Per-cohort coaching rhythm. A cohort without a row uses the default cadence."""

    cohort = models.OneToOneField(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="coaching_settings", verbose_name=_("cohort")
    )
    checkin_every_days = models.PositiveSmallIntegerField(
        _("check-in every (days)"),
        default=DEFAULT_CADENCE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("A city is flagged as overdue when its last check-in is older than this."),
    )

    class Meta:
        verbose_name = _("coaching settings")
        verbose_name_plural = _("coaching settings")

    def __str__(self):
        return str(self.cohort)


def cadence_days(cohort):
    settings_row = getattr(cohort, "coaching_settings", None) if cohort is not None else None
    return settings_row.checkin_every_days if settings_row is not None else DEFAULT_CADENCE_DAYS
