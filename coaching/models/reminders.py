from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class CoachingReminder(models.Model):
    """One row per reminder sent. The unique key (kind, target, step) makes a reminder go out
    exactly once, however often the sweep runs or a task is redelivered."""

    class Kind(models.TextChoices):
        DECISION_OVERDUE = "decision_overdue", _("Overdue decision")
        ACTION_ITEM_OVERDUE = "action_overdue", _("Overdue action item")
        SHOWCASE_FOLLOW_UP = "showcase_follow_up", _("Showcase follow-up")

    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="coaching_reminders")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    target = models.CharField(max_length=16, help_text=_("Public code of the decision, item or feedback."))
    step = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("coaching reminder")
        verbose_name_plural = _("coaching reminders")
        constraints = [
            models.UniqueConstraint(fields=["kind", "target", "step"], name="coaching_reminder_once_per_step")
        ]

    def __str__(self):
        return f"{self.kind} {self.target} #{self.step}"
