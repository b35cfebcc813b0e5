from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from ..guide import COMPONENT_CHOICES, LEVEL_CHOICES


class MaturityRating(models.Model):
    """The team's self-assessment of one component, at the start or at the end of the program."""

    class Phase(models.TextChoices):
        BASELINE = "baseline", _("Baseline (start of the program)")
        END = "end", _("End of the program")

    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="maturity_ratings")
    component = models.CharField(max_length=16, choices=COMPONENT_CHOICES)
    phase = models.CharField(max_length=10, choices=Phase.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=LEVEL_CHOICES)
    note = models.TextField(_("why this level"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    rated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(city="city")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["city", "component", "phase"], name="one_rating_per_component_phase"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="maturity_level_1_to_5"),
        ]

    def __str__(self):
        return f"{self.get_component_display()}, {self.get_phase_display()}: {self.level}"
