from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accelerator.codes import new_public_code


class ImportBatch(models.Model):
    """An uploaded roster file of a cohort, kept between its preview and its confirmation.

    The parsed rows and the plan shown in the preview are stored, so confirming applies exactly
    what was previewed (the plan is worked out again at confirmation and must still match)."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Imported")

    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.PROTECT, related_name="import_batches",
                               verbose_name=_("cohort"))
    file_name = models.CharField(_("file name"), max_length=255)
    rows = models.JSONField(default=list, help_text=_("The file's rows, as read."))
    plan = models.JSONField(default=list, help_text=_("What the preview showed for each row."))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.file_name} ({self.cohort})"
