from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accelerator.codes import new_public_code
from accelerator.i18n import choice_label


class LearningGoal(models.TextChoices):
    LEAD = "lead", _("Lead confidently with data")
    INVEST = "invest", _("Invest in the right people, practices and platforms")
    EMPOWER = "empower", _("Empower people to be part of the solution")


class Progress(models.IntegerChoices):
    NOT_STARTED = 1, _("Not started")
    STARTING = 2, _("Getting started")
    PROGRESSING = 3, _("Making progress")
    ESTABLISHED = 4, _("Established")


class CheckIn(models.Model):
    """One coaching conversation with a city. `private_notes` is for the coach and program staff
    only: no city-facing page, email or export reads it."""

    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="checkins")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("coach")
    )
    held_on = models.DateField(_("date"))
    attendees = models.ManyToManyField(
        "cohorts.Membership", blank=True, related_name="checkins_attended", verbose_name=_("who attended"),
        through="coaching.CheckInAttendee",
    )
    focus_goal = models.CharField(_("learning goal in focus"), max_length=16, choices=LearningGoal.choices)
    summary = models.TextField(_("summary shared with the city"))
    private_notes = models.TextField(
        _("private coach notes"), blank=True,
        help_text=_("Only you, other coaches of this city and program staff see these.")
    )
    progress_lead = models.PositiveSmallIntegerField(
        LearningGoal.LEAD.label, choices=Progress.choices, null=True, blank=True
    )
    progress_invest = models.PositiveSmallIntegerField(
        LearningGoal.INVEST.label, choices=Progress.choices, null=True, blank=True
    )
    progress_empower = models.PositiveSmallIntegerField(
        LearningGoal.EMPOWER.label, choices=Progress.choices, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-held_on", "-created_at"]
        indexes = [models.Index(fields=["city", "-held_on"])]

    def __str__(self):
        return f"{self.city} {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("coaching:checkin_detail", kwargs={"city_slug": self.city.slug, "code": self.code})

    @property
    def focus_goal_label(self):
        return choice_label(LearningGoal, self.focus_goal)

    def progress_rows(self):
        """(goal label, progress label) for each goal with a rating."""
        rows = []
        for goal in LearningGoal:
            value = getattr(self, f"progress_{goal.value}")
            if value:
                rows.append((goal.label, Progress(value).label, value))
        return rows


class CheckInAttendee(models.Model):
    """Who attended a check-in: history, so neither the check-in nor the membership can be deleted
    from under it (a person who leaves the team has their membership ended, not deleted)."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.PROTECT)
    membership = models.ForeignKey("cohorts.Membership", on_delete=models.PROTECT)

    class Meta:
        db_table = "coaching_checkin_attendees"
        verbose_name = _("check-in attendee")
        verbose_name_plural = _("check-in attendees")
        # As the table was created (an implicit many-to-many), so the database needs no change.
        unique_together = [("checkin", "membership")]

    def __str__(self):
        return f"{self.membership_id} @ {self.checkin_id}"


class ActionItem(models.Model):
    """Something a city's team member agreed to do at a check-in. Open items are carried into
    each later check-in (`carried_into`) until they are closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="action_items")
    checkin = models.ForeignKey(CheckIn, on_delete=models.PROTECT, related_name="action_items")
    carried_into = models.ManyToManyField(CheckIn, blank=True, related_name="carried_items")
    what = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        "cohorts.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="action_items",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["city", "status"])]

    def __str__(self):
        return self.what

    @property
    def status_label(self):
        return choice_label(self.Status, self.status)

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()
