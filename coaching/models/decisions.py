from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accelerator.codes import new_public_code
from accelerator.i18n import choice_label


class MayorDecision(models.Model):
    """A question the coach or the team puts to the city's mayor, with a due date."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the mayor")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="mayor_decisions")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("raised by")
    )
    question = models.CharField(_("question"), max_length=300)
    context = models.TextField(_("context"), help_text=_("What the mayor needs to know to decide."))
    options = models.TextField(_("options"), blank=True, help_text=_("One option per line."))
    due_on = models.DateField(_("decision needed by"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    chosen_option = models.CharField(_("chosen option"), max_length=300, blank=True)
    decision_note = models.TextField(_("the mayor's note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    session = models.ForeignKey(
        "agenda.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="mayor_decisions",
        verbose_name=_("mayor checkpoint"), limit_choices_to={"kind": "checkpoint"},
        help_text=_("The checkpoint session where the decision is discussed, if any."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("mayor decision")
        verbose_name_plural = _("mayor decisions")
        ordering = ["status", "due_on", "-created_at"]
        indexes = [models.Index(fields=["city", "status", "due_on"])]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("coaching:decision_detail", kwargs={"city_slug": self.city.slug, "code": self.code})

    @property
    def status_label(self):
        return choice_label(self.Status, self.status)

    @property
    def option_list(self):
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def is_overdue(self):
        return self.is_pending and self.due_on < timezone.localdate()

    @property
    def due_before_checkpoint(self):
        """Still waiting, and needed before the checkpoint it is to be discussed at: the date or the
        checkpoint is wrong, or the mayor must decide ahead of it. Callers load `session` with it."""
        session = self.session if self.session_id else None
        return (self.is_pending and session is not None
                and self.due_on < timezone.localdate(session.starts_at))
