"""The staff's view of the outbox: what went to whom, when, and why not."""

from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from accelerator.i18n import language_code
from accelerator.outbox.services import outbox_resend

from .. import selectors
from ..forms import OutboxFilterForm
from .staff import StaffOnlyMixin, int_or_404

FILTERS = ("status", "kind", "cohort", "city", "address")


class OutboxView(StaffOnlyMixin, TemplateView):
    permission_required = "accelerator.view_outbox"
    template_name = "announcements/outbox.html"
    page_size = 50

    def filters(self, form):
        if not form.is_bound:
            return {}
        if form.is_valid():
            return {k: v for k, v in form.cleaned_data.items() if v}
        # Unknown filter values are ignored with a notice, never an error page.
        messages.info(self.request, _("Some filters were not understood and are ignored."))
        return {k: v for k, v in form.cleaned_data.items() if v and k not in form.errors}

    @staticmethod
    def cursor(value):
        try:
            return int(value) if value else None
        except ValueError:
            return None

    def get_context_data(self, **kwargs):
        bound = any(self.request.GET.get(name) for name in FILTERS)
        form = OutboxFilterForm(self.request.GET if bound else None)
        before, after = self.cursor(self.request.GET.get("before")), self.cursor(self.request.GET.get("after"))
        rows, older, newer = selectors.outbox_messages(**self.filters(form), before=before, after=after,
                                                       limit=self.page_size)
        query = self.request.GET.copy()
        for name in ("before", "after"):
            query.pop(name, None)
        return super().get_context_data(
            form=form, rows=rows, older=older and bool(rows), newer=newer and bool(rows), query=query.urlencode(),
            newest_pk=rows[0].pk if rows else None, oldest_pk=rows[-1].pk if rows else None, **kwargs,
        )


class OutboxMessageMixin(StaffOnlyMixin):
    @cached_property
    def message(self):
        message = selectors.outbox_message(int_or_404(self.kwargs["pk"]))
        if message is None:
            raise Http404
        return message


class OutboxMessageView(OutboxMessageMixin, TemplateView):
    permission_required = "accelerator.view_outbox"
    template_name = "announcements/outbox_message.html"

    def get_context_data(self, **kwargs):
        subject, text, problem = selectors.outbox_preview(self.message)
        language = language_code(self.message.language)
        return super().get_context_data(message=self.message, preview_subject=subject, preview_text=text,
                                        preview_problem=problem,
                                        language_name=dict(settings.LANGUAGES).get(language, language), **kwargs)


class OutboxResendView(OutboxMessageMixin, View):
    permission_required = "accelerator.resend_message"

    def post(self, request, *args, **kwargs):
        if outbox_resend(message=self.message, actor=request.user):
            messages.success(request, _("Queued again: it goes out with the next batch."))
        else:
            messages.error(request, _("Only a message that failed or was not sent can be sent again."))
        return redirect("announcements:outbox_message", pk=self.message.pk)
