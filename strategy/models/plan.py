"""The plan: one Strategy per city, and its editable units. Each unit carries a `version` that
every save bumps with a compare-and-swap, so a save based on an older version is refused."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accelerator.codes import new_public_code

from ..guide import (
    COMPONENT_CHOICES,
    COMPONENTS_BY_KIND,
    LEARNING_GOAL_CHOICES,
    LEVEL_CHOICES,
    QUARTER_CHOICES,
    SECTION_CHOICES,
    quarter_label,
)


class Strategy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the coach")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        ENDORSED = "endorsed", _("Endorsed by the coach")
        PUBLISHED = "published", _("Approved by the mayor and published")

    EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED)

    city = models.OneToOneField("cohorts.City", on_delete=models.PROTECT, related_name="strategy")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    edition = models.PositiveIntegerField(_("edition"), default=1)
    completeness = models.PositiveSmallIntegerField(
        _("completeness (%)"), default=0, help_text=_("Kept up to date on every save for the cohort page.")
    )
    last_changed_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every change to what the plan shows (its units, what the team shares), so a tree
    # or a document cached under it is never served after a change.
    content_version = models.PositiveIntegerField(default=1, editable=False)
    last_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    # The mayor's consent to show the approved edition to anyone, without signing in. Only the
    # latest approved edition is ever public; a draft of the next edition never is.
    public_since = models.DateTimeField(_("public since"), null=True, blank=True)
    public_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("data strategy")
        verbose_name_plural = _("data strategies")

    def __str__(self):
        return f"{self.city} — {self.get_status_display()}"

    @property
    def is_editable(self):
        return self.status in self.EDITABLE_STATUSES


class Unit(models.Model):
    """An editable piece of the plan with its own version."""

    UNIT_KIND = ""
    EDITABLE_FIELDS = ()

    city = models.ForeignKey("cohorts.City", on_delete=models.CASCADE, related_name="+")
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = ScopedManager(city="city")

    class Meta:
        abstract = True

    def values(self):
        """The editable fields as JSON-friendly values (what revisions store)."""
        result = {}
        for name in self.EDITABLE_FIELDS:
            value = getattr(self, name)
            if name.endswith("_member"):
                value = getattr(self, f"{name}_id")
            elif value is not None and not isinstance(value, (str, int)):
                value = str(value)
            result[name] = value
        return result


class Section(Unit):
    UNIT_KIND = "section"
    EDITABLE_FIELDS = ("text",)

    city = models.ForeignKey("cohorts.City", on_delete=models.CASCADE, related_name="strategy_sections")
    key = models.CharField(max_length=24, choices=SECTION_CHOICES)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["strategy", "key"], name="one_section_per_key")]

    def __str__(self):
        return str(self.get_key_display())


class Component(Unit):
    UNIT_KIND = "component"
    EDITABLE_FIELDS = ("current_level", "current_state")

    city = models.ForeignKey("cohorts.City", on_delete=models.CASCADE, related_name="strategy_components")
    kind = models.CharField(max_length=16, choices=COMPONENT_CHOICES)
    current_level = models.PositiveSmallIntegerField(_("maturity level today"), null=True, blank=True,
                                                     choices=LEVEL_CHOICES)
    current_state = models.TextField(_("where the city stands today"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["strategy", "kind"], name="one_component_per_kind"),
            models.CheckConstraint(condition=Q(current_level__gte=1, current_level__lte=5)
                                   | Q(current_level__isnull=True),
                                   name="component_level_1_to_5"),
        ]

    def __str__(self):
        return str(self.guide.title)

    @property
    def guide(self):
        return COMPONENTS_BY_KIND[self.kind]


class SharedUnit(Unit):
    """A goal, action or measure the team may share with the other cities of its cohort. Sharing
    is not an edit of the plan (no version, no revision); a removed unit takes its sharing with it."""

    shared_at = models.DateTimeField(_("shared with the cohort since"), null=True, blank=True)
    shared_learning_goal = models.CharField(_("learning goal"), max_length=16, blank=True,
                                            choices=LEARNING_GOAL_CHOICES)

    class Meta:
        abstract = True


class Goal(SharedUnit):
    UNIT_KIND = "goal"
    EDITABLE_FIELDS = ("title", "description")

    city = models.ForeignKey("cohorts.City", on_delete=models.CASCADE, related_name="strategy_goals")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("why it matters"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Action(SharedUnit):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        DONE = "done", _("Done")

    UNIT_KIND = "action"
    EDITABLE_FIELDS = ("what", "owner_member", "owner", "start_quarter", "end_quarter", "milestones", "resources",
                       "status")

    city = models.ForeignKey("cohorts.City", on_delete=models.CASCADE, related_name="strategy_actions")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(_("what"), max_length=300)
    owner_member = models.ForeignKey(
        "cohorts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("owner on the team"),
    )
    owner = models.CharField(_("owner (role or person)"), max_length=200, blank=True)
    start_quarter = models.PositiveSmallIntegerField(_("start quarter"), null=True, blank=True, choices=QUARTER_CHOICES)
    end_quarter = models.PositiveSmallIntegerField(_("end quarter"), null=True, blank=True, choices=QUARTER_CHOICES)
    milestones = models.TextField(_("milestones"), blank=True)
    resources = models.TextField(_("resources or budget"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_quarter__isnull=True) | Q(end_quarter__isnull=True)
                | Q(end_quarter__gte=F("start_quarter")),
                name="action_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.what


class Measure(SharedUnit):
    UNIT_KIND = "measure"
    EDITABLE_FIELDS = ("name", "baseline", "target", "unit", "by_quarter")

    city = models.ForeignKey("cohorts.City", on_delete=models.CASCADE, related_name="strategy_measures")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(_("what is counted"), max_length=300)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    by_quarter = models.PositiveSmallIntegerField(_("by when"), null=True, blank=True, choices=QUARTER_CHOICES)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name

    @property
    def by_label(self):
        return quarter_label(self.by_quarter)
