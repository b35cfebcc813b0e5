import os

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accelerator.codes import new_public_code
from accelerator.i18n import choice_label


class Showcase(models.Model):
    """A practice the team put in place and shows to its coach for feedback."""

    class Kind(models.TextChoices):
        DATA_ROUTINE = "data_routine", _("A new data routine")
        POLICY = "policy", _("A new policy")
        OTHER = "other", _("Other practice")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, waiting for feedback")
        FEEDBACK = "feedback", _("Feedback given")

    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    city = models.ForeignKey("cohorts.City", on_delete=models.PROTECT, related_name="showcases")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind of practice"), max_length=16, choices=Kind.choices)
    what_changed = models.TextField(_("what changed"))
    for_whom = models.TextField(_("for whom"), help_text=_("Who works differently or is served differently now."))
    evidence_links = models.TextField(
        _("evidence links"), blank=True, help_text=_("Web addresses, one per line (dashboards, published policies…).")
    )
    sustain_plan = models.TextField(_("how it will be sustained"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("showcase")
        verbose_name_plural = _("showcases")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("coaching:showcase_detail", kwargs={"city_slug": self.city.slug, "code": self.code})

    @property
    def kind_label(self):
        return choice_label(self.Kind, self.kind)

    @property
    def status_label(self):
        return choice_label(self.Status, self.status)

    @property
    def link_list(self):
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]

    @property
    def is_editable(self):
        return self.status == self.Status.DRAFT


def evidence_path(instance, filename):
    # A random stored name: the original name is kept in the row and only used for downloads.
    ext = os.path.splitext(filename)[1].lower()
    return f"showcases/{instance.showcase.city_id}/{new_public_code()}{ext}"


class EvidenceFile(models.Model):
    """A file attached to a showcase. Stored under MEDIA_ROOT (outside the web root) and served
    only by the city's download view."""

    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    showcase = models.ForeignKey(Showcase, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(city="showcase__city")

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse(
            "coaching:file_download", kwargs={"city_slug": self.showcase.city.slug, "code": self.code}
        )


class ShowcaseFeedback(models.Model):
    """The coach's structured feedback on a submitted showcase."""

    class Sustained(models.TextChoices):
        YES = "yes", _("Yes, it is sustained")
        PARTLY = "partly", _("Partly")
        NOT_YET = "not_yet", _("Not yet")

    code = models.CharField(max_length=16, unique=True, default=new_public_code, editable=False)
    showcase = models.ForeignKey(Showcase, on_delete=models.PROTECT, related_name="feedback")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    what_works = models.TextField(_("what works"))
    to_strengthen = models.TextField(_("what to strengthen"))
    sustained = models.CharField(_("is the practice sustained?"), max_length=16, choices=Sustained.choices)
    follow_up_on = models.DateField(
        _("follow-up date"), null=True, blank=True, help_text=_("You get a reminder on this date.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(city="showcase__city")

    class Meta:
        verbose_name = _("showcase feedback")
        verbose_name_plural = _("showcase feedback")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.showcase}: {self.get_sustained_display()}"

    @property
    def sustained_label(self):
        return choice_label(self.Sustained, self.sustained)
