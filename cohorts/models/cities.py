from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accelerator.models import TIME_ZONE_CHOICES

from .visibility import relations


class Cohort(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        # Kept with everything it holds, out of the way of the running cohorts.
        ARCHIVED = "archived", _("Archived")

    # The program is over: its record is final (an archived cohort is a completed one put away).
    CLOSED_STATUSES = (Status.COMPLETED, Status.ARCHIVED)

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), unique=True, max_length=80)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="cohort_ends_after_start"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("dashboards:cohort", kwargs={"cohort_slug": self.slug})


class CityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The cities `user` may see, by the one rule in `cohorts.models.visibility`."""
        if not user.is_authenticated:
            return self.none()
        city_filter = relations(user).city_filter()
        return self if city_filter is None else self.filter(city_filter)


class City(models.Model):
    """The tenant. Every city-owned row reaches a City."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        AT_RISK = "at_risk", _("At risk")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        # The cohort closed: the city's record stays, its outcome says whether it completed.
        ALUMNI = "alumni", _("Alumni")

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="cities", verbose_name=_("cohort"))
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), unique=True, max_length=80)
    country = models.CharField(_("country"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONE_CHOICES)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    status = models.CharField(
        _("participation status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )

    objects = CityQuerySet.as_manager()

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]
        constraints = [
            # The target of the memberships' (city, cohort) key: a membership's cohort is its city's.
            models.UniqueConstraint(fields=["id", "cohort"], name="city_cohort_pair"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("dashboards:city_home", kwargs={"city_slug": self.slug})
