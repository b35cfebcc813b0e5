"""Importing a video call's participant report into a session's attendance, and the cohort's
thresholds that decide what the report's times mean.

The upload shows a preview and changes nothing; the preview's form carries the file back signed,
so confirming recomputes exactly what was shown from the same bytes, with no half-imported state."""

import base64
import binascii
import zoneinfo

from django.contrib import messages
from django.core import signing
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accelerator.errors import RuleViolation
from accelerator.permissions import PermissionMixin
from agenda.forms import AttendanceImportForm, AttendanceThresholdsForm
from agenda.models import thresholds_for
from agenda.participant_reports import MAX_REPORT_BYTES
from agenda.services.attendance_import import attendance_import_apply, attendance_import_preview
from cohorts.models import Cohort

from .sessions import SessionMixin

SALT = "agenda.attendance_import"
# The preview's signed file is good for an hour: long enough to check every row, short enough
# that an old tab cannot write yesterday's proposal over today's marks unseen.
PREVIEW_MAX_AGE = 3600


class SessionAttendanceImportView(SessionMixin, FormView):
    permission_required = "agenda.mark_attendance"
    template_name = "agenda/attendance_import.html"
    form_class = AttendanceImportForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "max_bytes": MAX_REPORT_BYTES}

    def get_initial(self):
        return {"time_zone": self.session.time_zone}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "preview" not in kwargs:
            context["thresholds"] = thresholds_for(self.session.cohort)
            context["can_set_thresholds"] = self.request.user.has_perm("agenda.manage_sessions", self.session.cohort)
        return context

    def post(self, request, *args, **kwargs):
        if "payload" in request.POST:
            return self.confirm(request.POST)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        raw = form.cleaned_data["report"].read()
        zone = form.cleaned_data["time_zone"]
        try:
            preview = attendance_import_preview(session=self.session, actor=self.request.user, raw=raw, zone=zone)
        except RuleViolation as error:
            form.add_error("report", error.messages)
            return self.form_invalid(form)
        payload = signing.dumps({"file": base64.b64encode(raw).decode("ascii"), "zone": zone.key},
                                salt=SALT, compress=True)
        return self.render_to_response(self.get_context_data(form=form, preview=preview, payload=payload))

    def confirm(self, data):
        try:
            signed = signing.loads(data["payload"], salt=SALT, max_age=PREVIEW_MAX_AGE)
            raw = base64.b64decode(signed["file"], validate=True)
            zone = zoneinfo.ZoneInfo(signed["zone"])
        except (signing.BadSignature, binascii.Error, KeyError, TypeError, ValueError, zoneinfo.ZoneInfoNotFoundError):
            messages.error(self.request, _("This preview is too old or was changed; upload the report again."))
            return redirect("agenda:session_attendance_import", code=self.session.code)
        try:
            changed = attendance_import_apply(session=self.session, actor=self.request.user, raw=raw, zone=zone,
                                              accepted=set(data.getlist("accept")))
        except RuleViolation as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect("agenda:session_attendance_import", code=self.session.code)
        if changed:
            messages.success(self.request, _("Report imported: %(count)d marks changed.") % {"count": changed})
        else:
            messages.info(self.request, _("Report imported: the attendance already said the same, nothing changed."))
        return redirect("agenda:session_attendance", code=self.session.code)


class CohortAttendanceSettingsView(PermissionMixin, FormView):
    """The thresholds of a cohort, reached from the cohort's settings page (program staff)."""

    permission_required = "agenda.manage_sessions"
    template_name = "agenda/cohort_attendance_settings.html"
    form_class = AttendanceThresholdsForm

    def dispatch(self, request, *args, **kwargs):
        self.cohort = get_object_or_404(Cohort, slug=kwargs["cohort_slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.cohort

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": thresholds_for(self.cohort)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cohort=self.cohort, **kwargs)

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Attendance thresholds saved."))
        return redirect(reverse("cohorts:edit", kwargs={"cohort_slug": self.cohort.slug}))
