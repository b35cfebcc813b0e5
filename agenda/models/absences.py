from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class AbsenceWarning(models.Model):
    """A person missed several sessions in a row. One row per streak, keyed by the streak's first
    missed session, so the coach and staff are warned exactly once however often the sweep runs;
    a new streak after the person came back starts at another session and earns a new warning."""

    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="absence_warnings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="absence_warnings")
    first_missed = models.ForeignKey("agenda.Session", on_delete=models.PROTECT, related_name="+")
    last_missed = models.ForeignKey("agenda.Session", on_delete=models.PROTECT, related_name="+")
    streak = models.PositiveSmallIntegerField(_("sessions missed in a row"))
    created_at = models.DateTimeField(_("warned"), default=timezone.now)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("absence warning")
        verbose_name_plural = _("absence warnings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "first_missed"], name="one_warning_per_absence_streak")
        ]

    def __str__(self):
        return f"{self.person}: {self.streak} missed from {self.first_missed}"
