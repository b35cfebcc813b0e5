from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accelerator.codes import new_public_code

from ..guide import PLAN_PART_CHOICES, PLAN_PART_LABELS


class CommentThread(models.Model):
    """A coach's comment on one part of the plan, answered and resolved by the team."""

    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="strategy_threads")
    strategy = models.ForeignKey("strategy.Strategy", on_delete=models.PROTECT, related_name="threads")
    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    part = models.CharField(_("part of the plan"), max_length=32, choices=PLAN_PART_CHOICES)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = ScopedManager(city="city")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.part_label} ({self.code})"

    @property
    def part_label(self):
        return PLAN_PART_LABELS.get(self.part, self.part)


class Comment(models.Model):
    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="strategy_comments")
    thread = models.ForeignKey(CommentThread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(city="city")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:60]
