from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from accelerator.caching import CSRF_STAND_IN, with_csrf_token

from .. import selectors
from ..caching import cached, plan_key
from ..charts import maturity_svg, timeline_svg
from ..docx_export import plan_docx
from ..guide import COMPONENT_KINDS, COMPONENTS, LEARNING_GOAL_CHOICES
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


def _components(tree, part):
    return [c for c in tree["components"] if part is None or c["key"] == part]


def attach_edit_urls(tree, city_slug, part=None):
    """Edit links for the sections and for the components (all, or only `part`'s)."""
    edit = _url_maker("strategy:edit", city_slug, kind=1, code=1)
    remove = _url_maker("strategy:remove", city_slug, kind=1, code=1)
    add = _url_maker("strategy:add", city_slug, kind=1, parent_code=1)
    for section in tree["sections"].values():
        section["edit_url"] = edit(kind="section", code=section["code"])
    for component in _components(tree, part):
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


def attach_share_urls(tree, city_slug, part=None):
    share = _url_maker("strategy:share", city_slug, kind=1, code=1)
    for component in _components(tree, part):
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


# The plan page shows the written parts together (the overview: texts the team writes, one of
# each), then each component on a page of its own, and the timeline of every action on its own,
# so the page does not grow with the number of goals, actions and measures. The print view and
# the exports show it all.
OVERVIEW, TIMELINE = "overview", "timeline"
PAGE_PARTS = [OVERVIEW, *COMPONENT_KINDS, TIMELINE]
_HEADINGS = {"people_practices_platforms": "ppp-heading"}


def part_nav(context):
    """Each part with its completeness and where it is shown; for a component, how much it holds."""
    components = {c["key"]: c for c in context["tree"]["components"]}
    nav = []
    for p in context["progress_list"]:
        item = {"key": p.key, "label": p.label, "percent": p.percent, "page": OVERVIEW,
                "anchor": _HEADINGS.get(p.key, f"{p.key}-heading")}
        component = components.get(p.key)
        if component is not None:
            actions = [a for g in component["goals"] for a in g["actions"]]
            item.update(page=p.key, anchor="part-shown", goals=len(component["goals"]), actions=len(actions),
                        measures=sum(len(a["measures"]) for a in actions))
        nav.append(item)
    nav.append({"key": TIMELINE, "label": _("Timeline of actions by quarter"), "page": TIMELINE,
                "anchor": "part-shown", "actions": len(context["tree"]["actions"])})
    return nav


def part_context(strategy, tree, part):
    """`plan_context` with the list of parts, keeping in full only what the page shows of `part`
    (the other components by name, the timeline only on its own part)."""
    context = plan_context(strategy, tree)
    context["part_nav"] = part_nav(context)
    tree = context["tree"]
    tree["components"] = [c if c["key"] == part else {"key": c["key"], "title": c["title"]}
                          for c in tree["components"]]
    if part != TIMELINE:
        tree["actions"], context["timeline"] = [], ""
    return context


class PlanView(StrategyMixin, TemplateView):
    template_name = "strategy/plan.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        city, user = self.city, self.request.user
        part = self.request.GET.get("part")
        if part not in PAGE_PARTS:
            part = PAGE_PARTS[0]
        # The plan's row comes with the stamps the kept page is found by: a hit reads nothing else.
        stamps = self.read_stamps(ratings=True, threads=True)
        plan = stamps.plan or self.strategy  # none yet: made just now
        transitions = available_transitions(plan, city=city, actor=user)
        flags = {
            "part": part, "can_edit": plan.is_editable and user.has_perm("strategy.edit_plan", city),
            "can_share": user.has_perm("strategy.share", city),
            "can_comment": user.has_perm("strategy.start_thread", city),
            "can_publish": user.has_perm("strategy.publish_public", city),
            "can_assess": user.has_perm("strategy.assess_maturity", city),
        }

        def build():
            return self.render_page(flags, transitions)

        if stamps.plan is None:  # made in this request: nothing to keep
            html = build()
        else:
            html = cached(plan_key("plan-page", city, plan, *flags.values(), [t.name for t in transitions],
                                   stamps.ratings, stamps.threads, plan.stamp, team=stamps.team), build)
        # Rendered by our own template (escaped there), with this request's CSRF token put in.
        context["page_html"] = with_csrf_token(html, get_token(self.request))
        return context

    def render_page(self, flags, transitions):
        """The page's content: the plan's state and tools, the completeness list, the part of the
        plan `flags` name and the maturity ratings, with CSRF_STAND_IN where each form's token goes."""
        strategy, city = self.strategy, self.city
        ratings = selectors.maturity_ratings(city)
        open_threads = selectors.open_threads_by_part(strategy)
        context = part_context(strategy, selectors.page_tree(strategy), flags["part"])
        if flags["can_edit"]:
            attach_edit_urls(context["tree"], city.slug, flags["part"])
        if flags["can_share"]:
            attach_share_urls(context["tree"], city.slug, flags["part"])
        context.update(
            flags, city=city, strategy=strategy, learning_goals=LEARNING_GOAL_CHOICES, csrf_token=CSRF_STAND_IN,
            threads={key: {"open": len(threads)} for key, threads in open_threads.items()},
            open_threads=open_threads,
        )
        part_html = render_to_string("strategy/includes/plan_part.html", context)
        missing = sum(len(p.missing) for p in context["progress_list"])
        return render_to_string("strategy/includes/plan_page.html", {
            **flags, "city": city, "strategy": strategy, "csrf_token": CSRF_STAND_IN,
            "part_html": mark_safe(part_html),  # rendered just above by our own template
            # The maturity table names the components; the plan itself is in the part above.
            "tree": {"components": [{"key": c.kind, "title": c.title} for c in COMPONENTS]},
            "submit_blocked": any(t.name == "submit" for t in transitions) and missing,
            "ratings": ratings, "maturity_chart": maturity_svg(ratings), "phases": MaturityRating.Phase,
            "edition": selectors.latest_edition(strategy), "transitions": transitions,
        })


def print_context(city, strategy, tree, ratings, chart_id="maturity-print"):
    """What the print template needs, for the print view and both PDFs."""
    context = plan_context(strategy, tree)
    context.update(city=city, ratings=ratings, maturity_chart=maturity_svg(ratings, chart_id=chart_id))
    return context


def cached_document(kind, city, stamps, build):
    """A rendering of the whole plan as it stands, built once per change of what it shows; `stamps`
    are the view's `read_stamps(ratings=True)`; `build` is given the ratings."""
    if stamps.plan is None:  # made in this request: nothing to keep
        return build(selectors.maturity_ratings(city))
    return cached(plan_key(kind, city, stamps.plan, stamps.ratings, team=stamps.team),
                  lambda: build(selectors.maturity_ratings(city)))


class PrintView(StrategyMixin, View):
    def get(self, request, *args, **kwargs):
        def build(ratings):
            context = print_context(self.city, self.strategy, selectors.page_tree(self.strategy), ratings)
            return render_to_string("strategy/print.html", context, request=request)

        return HttpResponse(cached_document("print", self.city, self.read_stamps(ratings=True), build))


def pdf_response(content, city):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="data-strategy-{slugify(city.name) or city.slug}.pdf"'
    return response


class ExportPdfView(StrategyMixin, View):
    """The plan as it stands, as a tagged PDF drawn from the print view's template."""

    def get(self, request, *args, **kwargs):
        def build(ratings):
            context = print_context(self.city, self.strategy, selectors.page_tree(self.strategy), ratings)
            return strategy_pdf(context, request=request)

        return pdf_response(cached_document("pdf", self.city, self.read_stamps(ratings=True), build), self.city)


class ExportDocxView(StrategyMixin, View):
    def get(self, request, *args, **kwargs):
        def build(ratings):
            context = plan_context(self.strategy, selectors.page_tree(self.strategy))
            return plan_docx(self.city, context["tree"], ratings)

        content = cached_document("docx", self.city, self.read_stamps(ratings=True), build)
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
