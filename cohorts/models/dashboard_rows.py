from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class DashboardRow(models.Model):
    """What the cohort dashboard shows for one city, stored so the page reads one row per city
    instead of every city's plan tree, attendance ledger and coaching log.

    The row lives here, below every app that changes its inputs, so each of them can mark it out
    of date in its own transaction (`version` goes up; see cohorts.services.dashboard_rows).
    The dashboards app computes `data` and records which version it computed: a row is current
    while `computed_version == version`. It is derived data, rebuilt at any time; nothing history
    needs is kept here."""

    city = models.OneToOneField(
        "cohorts.City", primary_key=True, on_delete=models.CASCADE, related_name="dashboard_row"
    )
    data = models.JSONField(default=dict)
    version = models.PositiveBigIntegerField(default=1, help_text=_("Raised by every change of an input."))
    computed_version = models.PositiveBigIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("dashboard row")
        verbose_name_plural = _("dashboard rows")

    def __str__(self):
        return f"dashboard row of city {self.city_id}"

    @property
    def is_current(self):
        return self.computed_version == self.version and self.computed_at is not None
