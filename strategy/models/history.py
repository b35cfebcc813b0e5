from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accelerator.codes import new_public_code


class Revision(models.Model):
    """One saved change to one unit: who, when, and the editable fields before and after."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Added")
        EDITED = "edited", _("Edited")
        DELETED = "deleted", _("Removed")
        RESTORED = "restored", _("Restored")

    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="strategy_revisions")
    strategy = models.ForeignKey("strategy.Strategy", on_delete=models.PROTECT, related_name="revisions")
    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    unit_kind = models.CharField(max_length=16)
    unit_code = models.CharField(max_length=16, db_index=True)
    unit_label = models.CharField(max_length=300)
    part = models.CharField(max_length=32, help_text=_("The plan part this unit belongs to."))
    parent_code = models.CharField(max_length=16, blank=True,
                                   help_text=_("The goal, action or component it sits under."))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EDITED)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    version = models.PositiveIntegerField(help_text=_("The unit's version after this change."))
    restored_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ScopedManager(city="city")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.unit_label} v{self.version}"


class Draft(models.Model):
    """A person's unsaved text for one unit, kept by autosave so a closed tab loses nothing."""

    city = models.ForeignKey("cohorts.City", on_delete=models.CASCADE, related_name="strategy_drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit_kind = models.CharField(max_length=16)
    unit_code = models.CharField(max_length=16)
    base_version = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(city="city")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit_kind", "unit_code"],
                                               name="one_draft_per_person_unit")]

    def __str__(self):
        return f"draft of {self.unit_kind} {self.unit_code}"


class PublishedEdition(models.Model):
    """The plan as the mayor approved it, frozen; it stays visible while a new edition is drafted."""

    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="strategy_editions")
    strategy = models.ForeignKey("strategy.Strategy", on_delete=models.PROTECT, related_name="editions")
    edition = models.PositiveIntegerField()
    content = models.JSONField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(city="city")

    class Meta:
        ordering = ["-edition"]
        constraints = [models.UniqueConstraint(fields=["strategy", "edition"], name="one_publication_per_edition")]

    def __str__(self):
        return f"edition {self.edition}"
