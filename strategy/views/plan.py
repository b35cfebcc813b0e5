from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from .. import selectors
from ..charts import maturity_svg, timeline_svg
from ..docx_export import plan_docx
from ..guide import LEARNING_GOAL_CHOICES
from ..models import MaturityRating
from ..pdf import strategy_pdf
from ..progress import overall_percent, plan_progress, submission_checklist
from ..services.review import available_transitions
from .base import StrategyMixin


def _url_maker(name, city_slug, **kwargs):
    """reverse() once, then fill in kind and code: a full plan has hundreds of links."""
    template = reverse(name, kwargs={"city_slug": city_slug, **{k: f"__{k}__" for k in kwargs}})
    return lambda **values: template.replace("__kind__", values["kind"]).replace(
        "__code__", values.get("code", "")).replace("__parent_code__", values.get("parent_code", ""))


def attach_edit_urls(tree, city_slug):
    edit = _url_maker("strategy:edit", city_slug, kind=1, code=1)
    remove = _url_maker("strategy:remove", city_slug, kind=1, code=1)
    add = _url_maker("strategy:add", city_slug, kind=1, parent_code=1)
    for section in tree["sections"].values():
        section["edit_url"] = edit(kind="section", code=section["code"])
    for component in tree["components"]:
        component["edit_url"] = edit(kind="component", code=component["code"])
        component["add_url"] = add(kind="goal", parent_code=component["code"])
        for goal in component["goals"]:
            goal.update(edit_url=edit(kind="goal", code=goal["code"]),
                        remove_url=remove(kind="goal", code=goal["code"]),
                        add_url=add(kind="action", parent_code=goal["code"]))
            for action in goal["actions"]:
                action.update(edit_url=edit(kind="action", code=action["code"]),
                              remove_url=remove(kind="action", code=action["code"]),
                              add_url=add(kind="measure", parent_code=action["code"]))
                for measure in action["measures"]:
                    measure.update(edit_url=edit(kind="measure", code=measure["code"]),
                                   remove_url=remove(kind="measure", code=measure["code"]))
    return tree


def attach_share_urls(tree, city_slug):
    share = _url_maker("strategy:share", city_slug, kind=1, code=1)
    for component in tree["components"]:
        for goal in component["goals"]:
            goal["share_url"] = share(kind="goal", code=goal["code"])
            for action in goal["actions"]:
                action["share_url"] = share(kind="action", code=action["code"])
                for measure in action["measures"]:
                    measure["share_url"] = share(kind="measure", code=measure["code"])
    return tree


def plan_context(strategy, tree):
    tree = selectors.decorate(tree)
    tree["status_label"] = strategy.get_status_display() if strategy else ""
    progress = plan_progress(tree)
    return {
        "tree": tree,
        "progress": {p.key: p for p in progress},
        "progress_list": progress,
        "checklist": submission_checklist(tree, progress),
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
        can_edit = strategy.is_editable and user.has_perm("strategy.edit_plan", self.city)
        if can_edit:
            attach_edit_urls(context["tree"], self.city.slug)
        can_share = user.has_perm("strategy.share", self.city)
        if can_share:
            attach_share_urls(context["tree"], self.city.slug)
        edition = selectors.latest_edition(strategy)
        transitions = available_transitions(strategy, city=self.city, actor=user)
        context.update(
            can_share=can_share, learning_goals=LEARNING_GOAL_CHOICES,
            can_publish=user.has_perm("strategy.publish_public", self.city),
            submit_blocked=any(t.name == "submit" for t in transitions)
            and sum(len(p.missing) for p in context["progress_list"]),
            ratings=ratings, maturity_chart=maturity_svg(ratings), phases=MaturityRating.Phase,
            threads=selectors.open_thread_counts(strategy),
            open_threads=selectors.open_threads_by_part(strategy),
            edition=edition, transitions=transitions, can_edit=can_edit,
            can_comment=user.has_perm("strategy.start_thread", self.city),
        )
        return context


class PrintView(StrategyMixin, TemplateView):
    template_name = "strategy/print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(print_context(self.city, self.strategy, selectors.plan_tree(self.strategy),
                                     selectors.maturity_ratings(self.city)))
        return context


def print_context(city, strategy, tree, ratings, chart_id="maturity-print"):
    """What the print template needs, for the print view and both PDFs."""
    context = plan_context(strategy, tree)
    context.update(city=city, ratings=ratings, maturity_chart=maturity_svg(ratings, chart_id=chart_id))
    return context


def pdf_response(content, city):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="data-strategy-{slugify(city.name) or city.slug}.pdf"'
    return response


class ExportPdfView(StrategyMixin, View):
    """The plan as it stands, as a tagged PDF drawn from the print view's template."""

    def get(self, request, *args, **kwargs):
        context = print_context(self.city, self.strategy, selectors.plan_tree(self.strategy),
                                selectors.maturity_ratings(self.city))
        return pdf_response(strategy_pdf(context, request=request), self.city)


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
