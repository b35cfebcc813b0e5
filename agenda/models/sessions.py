"""The program calendar: sessions of every kind, who is invited, who came, and which reminders went out.

A session belongs to a cohort (a keynote is shared by every city); invitations, attendance and
reminder logs belong to one city each, so they carry a city and a scoped manager."""

import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accelerator.codes import new_public_code
from accelerator.models import TIME_ZONE_CHOICES
from cohorts.models import City
from cohorts.models.visibility import relations


class LearningGoal(models.TextChoices):
    LEAD = "lead", _("Lead confidently with data")
    INVEST = "invest", _("Invest in the right people, practices and platforms")
    EMPOWER = "empower", _("Empower people to be part of the solution")


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user, city_ids=None):
        """The sessions `user` may open, by the one visibility rule (`cohorts.models.visibility`):
        staff see all; a coach sees the sessions of their cities and the cohort-wide sessions of
        those cities' cohorts; anyone may see a session they are invited to through a city
        they still see, so leaving a team or ceasing to coach closes its sessions too.
        `city_ids`: the ids of the cities `user` sees, when the caller has them already (the
        request's scope), in place of asking the rule again in a subquery.

        Written with subqueries rather than joins, so it needs no DISTINCT and composes with
        annotations."""
        if not user.is_authenticated:
            return self.none()
        rel = relations(user)
        if rel.sees_all:
            return self
        # The person's own rows; which city scope is open does not change who they are.
        invitations = SessionInvitation.objects.with_scopes_disabled().filter(person=user)
        seen = rel.city_filter("city_id") if city_ids is None else Q(city_id__in=city_ids)
        invited = Q(pk__in=invitations.filter(seen).values("session_id"))
        if not user.is_coach:
            return self.filter(invited)
        coached = rel.coached_city_ids
        own_cities = Q(city_id__in=coached)
        cohort_wide = Q(city__isnull=True, cohort_id__in=City.objects.filter(pk__in=coached).values("cohort_id"))
        return self.filter(invited | own_cities | cohort_wide)

    def with_can_open(self, user):
        """Each session with `can_open`: whether `user` may open its page, asked of `visible_to`
        itself (a subquery of the same query), so a list that shows more than the viewer may open
        links exactly the sessions that open."""
        visible = Session.objects.visible_to(user).filter(pk=OuterRef("pk"))
        return self.annotate(can_open=Exists(visible))

    def upcoming(self, now=None):
        return self.filter(ends_at__gt=now or timezone.now())

    def with_calendar_joins(self):
        """What a list of sessions shows besides the session: its cohort and city. (A list shows
        a convening's whole span; only its own page and the feed read its days.)"""
        return self.select_related("cohort", "city")


class Session(models.Model):
    class Kind(models.TextChoices):
        CONVENING = "convening", _("Mayors' convening")
        KEYNOTE = "keynote", _("Keynote")
        WORKSHOP = "workshop", _("Workshop")
        COACHING = "coaching", _("Coaching session")
        SHOWCASE = "showcase", _("Showcase")
        CHECKPOINT = "checkpoint", _("Mayor checkpoint")

    class Audience(models.TextChoices):
        MAYORS = "mayors", _("Mayors")
        SENIOR_TEAMS = "senior_teams", _("Senior teams")
        MAYORS_AND_TEAMS = "everyone", _("Mayors and senior teams")
        CITY = "city", _("One city (its mayor, team and coach)")
        COACHES = "coaches", _("Coaches")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        RESCHEDULED = "rescheduled", _("Rescheduled")
        CANCELLED = "cancelled", _("Cancelled")

    # Kinds that concern one city; their audience is that city.
    CITY_KINDS = (Kind.COACHING, Kind.CHECKPOINT)
    IN_PERSON_KINDS = (Kind.CONVENING,)

    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.PROTECT, related_name="sessions",
                               verbose_name=_("cohort"))
    city = models.ForeignKey(
        "cohorts.City", null=True, blank=True, on_delete=models.PROTECT, related_name="sessions",
        verbose_name=_("city"), help_text=_("For coaching sessions, checkpoints and single-city showcases."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    learning_goal = models.CharField(_("learning goal"), max_length=16, choices=LearningGoal.choices, blank=True)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES,
        help_text=_("The venue's time zone for an in-person session; otherwise the zone the times were set in."),
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    speakers = models.TextField(_("faculty or speakers"), blank=True, help_text=_("One per line."))
    materials = models.TextField(_("materials"), blank=True, help_text=_("One link per line."))
    required = models.BooleanField(_("required"), default=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    # RFC 5545 SEQUENCE: bumped whenever the time or status changes, so calendars replace the event.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the invitations or their answers last changed: with `updated_at`, the version of what
    # the calendar pages show of a session, so a page cached on it never shows an old answer.
    invitations_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "title"]
        indexes = [models.Index(fields=["cohort", "starts_at"]), models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=~Q(audience="city") | Q(city__isnull=False),
                                   name="city_audience_has_city"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agenda:session", kwargs={"code": self.code})

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_in_person(self):
        return self.kind in self.IN_PERSON_KINDS

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def display_zone(self, viewer_zone):
        """In-person sessions are shown in the venue's zone; everything else in the viewer's."""
        return self.zone if self.is_in_person else viewer_zone

    @property
    def speaker_list(self):
        return [line.strip() for line in self.speakers.splitlines() if line.strip()]

    @property
    def material_links(self):
        return [line.strip() for line in self.materials.splitlines() if line.strip()]

    @property
    def has_ended(self):
        return self.ends_at <= timezone.now()


class ConveningDay(models.Model):
    """One segment of a multi-day session (for 2024: Wednesday evening, Thursday, Friday until
    the afternoon). The convening check-in counts per segment."""

    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="days")
    label = models.CharField(_("label"), max_length=100)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("convening day")
        verbose_name_plural = _("convening days")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="day_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.session}: {self.label}"


class Response(models.TextChoices):
    PENDING = "pending", _("Not answered")
    YES = "yes", _("Yes, I will attend")
    NO = "no", _("No")
    APOLOGY = "apology", _("Apology (with a reason)")


class SessionInvitation(models.Model):
    """A person of a city invited to a session, and their answer. Derived from the session's
    audience by `agenda.services.session_invitations.invitations_sync`."""

    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="invitations")
    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="session_invitations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_invitations")
    response = models.CharField(_("answer"), max_length=16, choices=Response.choices, default=Response.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    nudged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(city="city")

    DECLINED = (Response.NO, Response.APOLOGY)

    class Meta:
        verbose_name = _("session invitation")
        verbose_name_plural = _("session invitations")
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="one_invitation_per_person")]
        indexes = [models.Index(fields=["person", "session"]), models.Index(fields=["city", "session"])]

    def __str__(self):
        return f"{self.person} → {self.session}"


class Attendance(models.Model):
    """The one attendance ledger for every kind of session. `day` is set for the segments of a
    multi-day convening; the row without a day is then the convening's outcome for the person,
    derived from the segments and the staff's decisions (`convening.services.outcome`), never
    marked on its own. Each mark says where it came from and who made it (`source`,
    `marked_by`), so an import never silently replaces a mark someone set by hand."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        LEFT_EARLY = "left_early", _("Left early")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")
        # Someone else presented for the mayor at the convening desk and was refused.
        SURROGATE_REFUSED = "surrogate_refused", _("Surrogate refused")

    class Source(models.TextChoices):
        DESK = "desk", _("Check-in desk")
        IMPORT = "import", _("Video-call report")
        MANUAL = "manual", _("Marked by hand")
        STAFF_DECISION = "staff_decision", _("Staff decision")
        ENFORCEMENT = "enforcement", _("Automatic (segment closed)")
        DERIVED = "derived", _("Derived from the segments")

    # Someone who left early was there for most of it: it counts as attending, like late.
    ATTENDED = (Status.PRESENT, Status.LATE, Status.LEFT_EARLY)
    # Marks a person may be given by hand or by an import; the others belong to the convening.
    MARKABLE = (Status.PRESENT, Status.LATE, Status.LEFT_EARLY, Status.EXCUSED, Status.ABSENT)

    # History: the evidence behind eligibility and completion. A session, a day, a city or a person
    # with attendance on record cannot be deleted (sessions are cancelled, people erased in place).
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendance")
    day = models.ForeignKey(ConveningDay, null=True, blank=True, on_delete=models.PROTECT, related_name="attendance")
    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=24, choices=Status.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    note = models.CharField(_("note"), max_length=300, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("operator"),
    )
    marked_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], condition=Q(day__isnull=True), name="one_attendance_per_session"
            ),
            models.UniqueConstraint(
                fields=["session", "person", "day"], condition=Q(day__isnull=False), name="one_attendance_per_day"
            ),
            # A stand-in is refused at the desk, for one segment; the outcome row derives from it.
            models.CheckConstraint(
                condition=~Q(status="surrogate_refused") | Q(day__isnull=False) | Q(source="derived")
                | Q(source="staff_decision"),
                name="surrogate_refused_on_a_segment_or_derived",
            ),
        ]

    def __str__(self):
        return f"{self.person} @ {self.session}: {self.get_status_display()}"


class ReminderLog(models.Model):
    """History: the emails about sessions sent before every message went through the outbox
    (`accelerator.OutgoingMessage`, which holds a copy of each of these rows under its key).
    Nothing writes here any more."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="reminder_logs")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    sent_at = models.DateTimeField(default=timezone.now)
    # Set when the message's moment had passed by the time it was to be sent (a 1-hour reminder
    # for a session that already started): nothing went out, and the row stops any retry.
    skipped = models.BooleanField(_("skipped, too late"), default=False)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [models.UniqueConstraint(fields=["session", "person", "kind"], name="one_reminder_per_kind")]

    def __str__(self):
        return f"{self.kind} → {self.person} ({self.session})"
