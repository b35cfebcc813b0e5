"""An announcement: a message program staff write to an audience of one cohort.

The audience is stored as its definition (cities, roles, a session and who of its invitees),
never as a frozen list: the preview and the send both derive the recipients from it, so what
staff reviewed is what goes. Nothing is deleted; a draft nobody wants any more is archived."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accelerator.codes import new_public_code


class AudienceRole(models.TextChoices):
    MAYOR = "mayor", _("Mayors")
    TEAM = "team", _("Senior teams")
    COACH = "coach", _("Coaches")
    STAFF = "staff", _("Program staff")


class SessionFilter(models.TextChoices):
    """Who of a session's invitees: by their answer, or by the attendance ledger."""

    YES = "answer:yes", _("Answered yes")
    NO = "answer:no", _("Answered no")
    APOLOGY = "answer:apology", _("Sent an apology")
    PENDING = "answer:pending", _("Have not answered")
    PRESENT = "attendance:present", _("Marked present")
    LATE = "attendance:late", _("Marked late")
    ABSENT = "attendance:absent", _("Marked absent")
    EXCUSED = "attendance:excused", _("Marked excused")


class Announcement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.PROTECT, related_name="announcements",
                               verbose_name=_("cohort"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    # The audience. No city chosen means every city of the cohort still taking part.
    cities = models.ManyToManyField("cohorts.City", blank=True, related_name="+", verbose_name=_("cities"))
    roles = models.JSONField(_("roles"), default=list, blank=True)
    session = models.ForeignKey("agenda.Session", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("session"))
    session_filter = models.JSONField(_("who of its invitees"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("written"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_archived(self):
        return self.archived_at is not None

    @property
    def outbox_key(self):
        return f"announcement:{self.pk}"

    @property
    def role_labels(self):
        return [AudienceRole(role).label for role in self.roles if role in AudienceRole.values]

    @property
    def session_filter_labels(self):
        return [SessionFilter(value).label for value in self.session_filter if value in SessionFilter.values]
