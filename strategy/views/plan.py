from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from .. import selectors
from ..charts import maturity_svg, timeline_svg
from ..docx_export import plan_docx
from ..models import MaturityRating
from ..services.completeness import overall_percent, plan_progress
from ..services.review import available_transitions
from .base import StrategyMixin


def plan_context(strategy, tree):
    tree = selectors.decorate(tree)
    tree["status_label"] = strategy.get_status_display() if strategy else ""
    progress = plan_progress(tree)
    return {
        "tree": tree,
        "progress": {p.key: p for p in progress},
        "progress_list": progress,
        "overall": overall_percent(progress),
        "timeline": timeline_svg(tree["actions"]),
    }


class PlanView(StrategyMixin, TemplateView):
    template_name = "strategy/plan.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        strategy = self.strategy
        ratings = selectors.maturity_ratings(self.city)
        user = self.request.user
        context.update(plan_context(strategy, selectors.plan_tree(strategy)))
        context.update(
            ratings=ratings, maturity_chart=maturity_svg(ratings), phases=MaturityRating.Phase,
            threads=selectors.open_thread_counts(strategy),
            edition=selectors.latest_edition(strategy),
            transitions=available_transitions(strategy, self.city_access),
            can_edit=strategy.is_editable and user.has_perm("strategy.edit_plan", self.city),
            can_comment=user.has_perm("strategy.start_thread", self.city),
        )
        return context


class PrintView(StrategyMixin, TemplateView):
    template_name = "strategy/print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(plan_context(self.strategy, selectors.plan_tree(self.strategy)))
        ratings = selectors.maturity_ratings(self.city)
        context.update(ratings=ratings, maturity_chart=maturity_svg(ratings, chart_id="maturity-print"))
        return context


class ExportDocxView(StrategyMixin, View):
    def get(self, request, *args, **kwargs):
        context = plan_context(self.strategy, selectors.plan_tree(self.strategy))
        content = plan_docx(self.city, context["tree"], selectors.maturity_ratings(self.city))
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        filename = f"data-strategy-{slugify(self.city.name) or self.city.slug}.docx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class PublishedView(StrategyMixin, TemplateView):
    """A frozen edition as the mayor approved it."""

    template_name = "strategy/published.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = get_object_or_404(self.strategy.editions.filter(city=self.city).select_related("approved_by"),
                                    edition=self.kwargs["edition"])
        if not isinstance(edition.content, dict):
            raise Http404(_("No such edition."))
        context.update(plan_context(None, edition.content))
        context["tree"]["status_label"] = _("Published")
        context["edition"] = edition
        return context
