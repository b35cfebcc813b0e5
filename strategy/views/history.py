from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View
from django_scopes import scopes_disabled

from accelerator.caching import CSRF_STAND_IN, kept, with_csrf_token
from accelerator.errors import RuleViolation
from accelerator.prepared import PreparedQuery

from .. import selectors
from ..diffing import field_diffs
from ..forms import VersionForm
from ..guide import PLAN_PART_LABELS
from ..models import UNIT_MODELS, Revision
from ..services.editing import EditConflict, revision_restore, revision_restore_removed
from ..services.units import unit_anchor, unit_queryset
from .base import StrategyMixin
from .edit import display_value, members_by_id


class HistoryView(StrategyMixin, TemplateView):
    template_name = "strategy/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        revisions = selectors.revisions(self.city)
        unit_code = self.request.GET.get("unit", "")[:16]
        if unit_code:
            revisions = revisions.filter(unit_code=unit_code)
        # Revisions are only ever added: how many there are and the newest say which rows a page
        # holds, so the page is kept under them (the actors' names as the key's five minutes allow).
        found = (_history_state[True].rows(city=self.city.pk, code=unit_code) if unit_code
                 else _history_state[False].rows(city=self.city.pk))
        state = dict(zip(("count", "newest"), found[0] if found else (0, None), strict=True))
        paginator = Paginator(revisions, 50)
        paginator.__dict__["count"] = state["count"]  # a cached property: known already
        page = paginator.get_page(self.request.GET.get("page"))
        body = {"city": self.city, "page": page, "unit_code": unit_code,
                "page_query": urlencode({"unit": unit_code}) if unit_code else ""}

        def render():
            rows = mark_safe(self.rows(page)) if state["count"] else ""  # made by format_html_join
            return render_to_string("strategy/includes/history_body.html", {**body, "rows": rows})

        context["body_html"] = mark_safe(kept("strategy:history", (  # rendered by our template, escaped there
            self.city.pk, self.city.slug, self.city.name, unit_code, page.number, state["count"], state["newest"]),
            render))
        return context

    def rows(self, page):
        """The page's rows as HTML, escaped by format_html: 50 rows through the template engine
        cost more than the rest of the page."""
        parts = {key: str(label) for key, label in PLAN_PART_LABELS.items()}
        kinds = {key: str(label) for key, label in Revision.Kind.choices}
        link = reverse("strategy:revision", kwargs={"city_slug": self.city.slug, "code": "__code__"})
        months = {number: str(name).title() for number, name in MONTHS_3.items()}  # as the date filter's "M"

        def when(moment):  # "j M Y, H:i" in the viewer's time zone
            local = timezone.localtime(moment)
            return f"{local.day} {months[local.month]} {local.year}, {local:%H:%M}"

        def short(label):  # as the truncatechars:80 filter
            return label if len(label) <= 80 else f"{label[:79]}…"

        return format_html_join(
            "\n", '<tr><td class="text-nowrap">{}</td><td>{}</td><td>{}</td><td><a href="{}">{}</a></td>'
            "<td>{} · v{}</td></tr>",
            ((when(created_at), actor or "—", parts.get(part, part), link.replace("__code__", code), short(label),
              kinds.get(kind, kind), version)
             for code, created_at, actor, part, label, kind, version in page.object_list.values_list(
                 "code", "created_at", "actor__full_name", "part", "unit_label", "kind", "version")))


# Stand-ins for the city and a code in the revision page's queries, compiled once per process
# (accelerator.prepared): no city or code has them.
_CITY, _CODE = -7_303_001, "\x00code\x00"


def _history_state_query(city, code=None):
    revisions = Revision.objects.with_scopes_disabled().filter(city_id=city)
    if code is not None:
        revisions = revisions.filter(unit_code=code)
    return revisions.order_by().values("city_id").annotate(count=Count("pk"), newest=Max("pk")).values_list(
        "count", "newest")


# How many revisions the history holds and the newest (of one unit, or all), compiled once each.
_history_state = {False: PreparedQuery(_history_state_query, city=_CITY),
                  True: PreparedQuery(_history_state_query, city=_CITY, code=_CODE)}


def _within_city(build):
    def scoped(city, code):
        with scopes_disabled():  # the city is the query's own filter
            return build(city, code)
    return PreparedQuery(scoped, city=_CITY, code=_CODE)


_revision_at = _within_city(lambda city, code: selectors.revisions(city).filter(code=code)[:1])
# Only the unit's own row and its plan: the page shows no more of it.
_unit_at = {kind: _within_city(lambda city, code, model=model: model.objects.filter(city=city, code=code)
                               .select_related("strategy")[:1])
            for kind, model in UNIT_MODELS.items()}


class RevisionView(StrategyMixin, TemplateView):
    template_name = "strategy/revision.html"

    def get_revision(self):
        found = _revision_at(city=self.city.pk, code=self.kwargs["code"])
        if not found:
            raise Http404("No such change.")
        return found[0]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        revision = self.get_revision()
        model = UNIT_MODELS[revision.unit_kind]
        unit = _unit_at[revision.unit_kind](city=self.city.pk, code=revision.unit_code)
        unit = unit[0] if unit else None
        if unit is not None:
            self.__dict__["strategy"] = unit.strategy  # read along with the unit
        editable = self.strategy.is_editable and self.request.user.has_perm("strategy.edit_plan", self.city)
        unit_values = unit.values() if unit is not None else None
        body = {
            "city": self.city, "revision": revision, "unit": unit,
            "can_restore": (unit is not None and revision.kind != revision.Kind.DELETED and editable
                            and unit_values != {k: revision.after.get(k) for k in model.EDITABLE_FIELDS}),
            "can_bring_back": unit is None and revision.kind == revision.Kind.DELETED and editable,
        }

        def render():
            # The team is read only if the change names an owner: most changes do not.
            members = SimpleLazyObject(lambda: members_by_id(self.city))
            return render_to_string("strategy/includes/revision_body.html", {
                **body, "csrf_token": CSRF_STAND_IN,
                "part_label": PLAN_PART_LABELS.get(revision.part, revision.part),
                "diffs": field_diffs(model, revision.before, revision.after,
                                     lambda name, value: display_value(model, name, value, members)),
                "unit_anchor": unit_anchor(revision.unit_kind, revision.unit_code),
            })

        # The body is kept under all it shows: the change as stored (an erasure rewrites it), who
        # made it, the unit's version now and what may be done with it.
        key = (self.city.slug, revision.pk, revision.version, revision.kind, revision.part, revision.unit_label,
               revision.before, revision.after, revision.created_at, revision.actor and revision.actor.full_name,
               unit and unit.version, body["can_restore"], body["can_bring_back"])
        context.update(revision=revision, body_html=with_csrf_token(kept("strategy:revision", key, render),
                                                                    get_token(self.request)))
        return context


class RestoreView(StrategyMixin, View):
    permission_required = "strategy.edit_plan"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        revision = get_object_or_404(selectors.revisions(self.city), code=kwargs["code"])
        back = redirect("strategy:revision", city_slug=self.city.slug, code=revision.code)
        unit = unit_queryset(self.city, revision.unit_kind).filter(code=revision.unit_code).first()
        if unit is None and revision.kind == revision.Kind.DELETED:
            try:
                revision_restore_removed(city=self.city, actor=request.user, revision=revision)
            except RuleViolation as error:
                messages.error(request, " ".join(error.messages))
                return back
            messages.success(request, _("“%(label)s” is back in the plan, with what was removed along with it.")
                             % {"label": revision.unit_label})
            return redirect(self.plan_url(unit_anchor(revision.unit_kind, revision.unit_code), part=revision.part))
        form = VersionForm(request.POST)
        if unit is None or not form.is_valid():
            messages.error(request, _("This item no longer exists; add it again instead."))
            return back
        try:
            revision_restore(city=self.city, actor=request.user, revision=revision, unit=unit,
                             base_version=form.cleaned_data["version"])
        except EditConflict:
            messages.error(request, _("Someone saved this part since you opened the page. Look at the history again "
                                      "before restoring."))
            return back
        except RuleViolation as error:
            messages.error(request, " ".join(error.messages))
            return back
        messages.success(request, _("Restored “%(label)s” as it was after this change. The restore is itself in the "
                                    "history.") % {"label": revision.unit_label})
        return redirect(self.plan_url(unit_anchor(revision.unit_kind, revision.unit_code), part=revision.part))
