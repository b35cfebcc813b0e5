from datetime import MAXYEAR, MINYEAR

from django import forms
from django.contrib import messages
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from .audit import audit_record
from .audit_registry import audit_groups, render_event
from .caching import kept
from .exports import csv_response
from .models import AuditEvent
from .pagination import CountingPaginator
from .permissions import CityMixin
from .prepared import PreparedQuery
from .selectors import city_audit_events


def group_choices():
    """Every registered group of events, in the reader's language and alphabetical order."""
    groups = sorted(((group.key, str(group.label)) for group in audit_groups()), key=lambda choice: choice[1].lower())
    return [("", gettext_lazy("All")), *groups]


class AuditFilterForm(forms.Form):
    same_markup_when_blank = True  # fixed fields; the groups are the registry's, in the reader's language

    group = forms.ChoiceField(label=gettext_lazy("Kind of event"), required=False, choices=group_choices)
    actor = forms.CharField(label=gettext_lazy("Who"), required=False, max_length=100)
    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def _within_range(self, name):
        # The day's bounds are converted from the viewer's zone to UTC: the first and last years
        # the calendar holds would fall outside it.
        value = self.cleaned_data.get(name)
        if value is not None and not MINYEAR < value.year < MAXYEAR:
            raise forms.ValidationError(gettext_lazy("Enter a date between the years 2 and 9998."))
        return value

    def clean_since(self):
        return self._within_range("since")

    def clean_until(self):
        return self._within_range("until")


class AuditFilterMixin(CityMixin):
    permission_required = "accelerator.view_city_audit"

    def filtered_events(self):
        form = AuditFilterForm(self.request.GET or None)
        filters = {}
        if form.is_bound:
            if form.is_valid():
                filters = form.cleaned_data
            else:
                # Unknown filter values are ignored with a notice, never an error page.
                filters = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
                messages.info(self.request, _("Some filters were not understood and are ignored."))
        self.filters = {k: v for k, v in filters.items() if v}
        return form, city_audit_events(self.city, **self.filters)


def _trail_state(city):
    return (AuditEvent.objects.with_scopes_disabled().filter(city_id=city).values("city_id")
            .annotate(count=Count("pk"), latest=Max("pk")).values_list("count", "latest"))


# How many events a city's whole trail holds and the latest: the page as it opens, with no filter.
_whole_trail = PreparedQuery(_trail_state, city=-7_404_001)


class CityAuditView(AuditFilterMixin, TemplateView):
    template_name = "accelerator/city_audit.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, events = self.filtered_events()
        query = self.request.GET.copy()
        number = query.pop("page", [None])[-1]
        query = query.urlencode()
        # The trail is append-only: how many events the filters match and the latest of them name
        # every page of it (one small query), so a page's table is rendered once per new event.
        if not self.filters:
            found = _whole_trail.rows(city=self.city.pk)
            trail = dict(zip(("count", "latest"), found[0] if found else (0, None), strict=True))
        else:
            trail = events.aggregate(count=Count("pk"), latest=Max("pk"))

        def table():
            page = CountingPaginator(events, self.paginate_by).get_page(number)
            shown = list(page.object_list)
            # The "Why" column only when an event on this page has a reason: most events need none.
            return render_to_string("accelerator/includes/audit_table.html", {
                "page": page, "events": shown, "query": query, "any_reason": any(e.reason for e in shown),
            }, request=self.request)

        context.update(form=form, query=query, table=kept(
            "city_audit", (self.city.pk, query, number, trail["count"], trail["latest"]), table))
        return context


class CityAuditCSVView(AuditFilterMixin, View):
    def get(self, request, *args, **kwargs):
        _form, events = self.filtered_events()
        audit_record(city=self.city, actor=request.user, action="export.audit_csv",
                     data={"filters": request.GET.dict()})
        zone = timezone.get_current_timezone()
        texts = {}  # each kind's message translated once for the whole file
        rows = (
            (created_at.astimezone(zone).isoformat(timespec="seconds"), actor_label, action,
             render_event(action, data, summary, texts), reason)
            for created_at, actor_label, action, data, summary, reason in events.values_list(
                "created_at", "actor_label", "action", "data", "summary", "reason")
        )
        stamp = timezone.localdate().isoformat()
        return csv_response(f"audit-{self.city.slug}-{stamp}.csv",
                            [_("When"), _("Who"), _("Action"), _("What"), _("Why")], rows)
