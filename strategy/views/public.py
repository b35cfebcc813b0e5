"""Pages anyone may read without signing in: the cohort's published strategies and each one's
approved edition, as a page and as a PDF. What is public is decided by `strategy.public`, the
one public predicate; anything else answers 404, as a city the viewer has no role in does."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.views.generic import View
from django_scopes import scope

from accelerator.i18n import interface_language

from .. import selectors
from ..pdf import strategy_pdf
from ..public import public_index_or_404, public_plan_or_404
from .plan import pdf_response, print_context


def speak_the_citys_language(request, city):
    """A public plan opens in its city's language, unless the visitor chose one (the language
    menu's cookie, or a signed-in person's preference)."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or request.user.is_authenticated:
        return
    translation.activate(interface_language(city.language))
    request.LANGUAGE_CODE = translation.get_language()


def public_context(plan):
    with scope(city=plan.city):
        ratings = selectors.maturity_ratings(plan.city)
    context = print_context(plan.city, None, plan.edition.content, ratings, chart_id="maturity-public")
    context["progress"] = {}  # completeness is the team's business, not the public's
    context["tree"]["status_label"] = translation.gettext("Approved by the mayor")
    context.update(public=True, approved_on=plan.edition.published_at, edition=plan.edition, plan=plan)
    return context


class PublicIndexView(View):
    def get(self, request, cohort_slug):
        cohort, rows = public_index_or_404(cohort_slug)
        return render(request, "strategy/public_index.html", {"cohort": cohort, "rows": rows})


class PublicStrategyView(View):
    def get(self, request, cohort_slug, place_slug):
        plan = public_plan_or_404(cohort_slug, place_slug)
        speak_the_citys_language(request, plan.city)
        return render(request, "strategy/public.html", public_context(plan))


class PublicStrategyPdfView(View):
    def get(self, request, cohort_slug, place_slug):
        plan = public_plan_or_404(cohort_slug, place_slug)
        speak_the_citys_language(request, plan.city)
        return pdf_response(strategy_pdf(public_context(plan), request=request), plan.city)
