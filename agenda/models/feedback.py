"""What attendees thought of a session: two 1–5 ratings and a comment, one answer per person per
session (a second answer replaces the first)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accelerator.codes import new_public_code

SCORES = [(n, str(n)) for n in range(1, 6)]


class SessionFeedback(models.Model):
    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    # History: an answer outlives neither its session nor its author being removed by accident.
    session = models.ForeignKey("agenda.Session", on_delete=models.PROTECT, related_name="feedback")
    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="session_feedback")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_feedback")
    usefulness = models.PositiveSmallIntegerField(
        _("How useful was this session?"), choices=SCORES,
        validators=[MinValueValidator(1), MaxValueValidator(5)])
    will_apply = models.PositiveSmallIntegerField(
        _("I will apply this in my city"), choices=SCORES,
        validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("session feedback")
        verbose_name_plural = _("session feedback")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_feedback_per_person"),
            models.CheckConstraint(condition=Q(usefulness__gte=1, usefulness__lte=5), name="feedback_usefulness_1_5"),
            models.CheckConstraint(condition=Q(will_apply__gte=1, will_apply__lte=5), name="feedback_will_apply_1_5"),
        ]
        indexes = [models.Index(fields=["city", "session"])]

    def __str__(self):
        return f"{self.person} → {self.session}: {self.usefulness}/{self.will_apply}"
