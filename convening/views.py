from dataclasses import replace
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accelerator.caching import CSRF_STAND_IN, kept, with_csrf_token
from accelerator.errors import RuleViolation, add_rule_error
from accelerator.permissions import CityMixin, PermissionMixin
from agenda.page_cache import scope_key
from cohorts.models import Membership

from . import selectors
from .forms import CodeCheckInForm, DeskLabelForm, EligibilityForm, PersonCheckInForm, SurrogateForm
from .models import EligibilityReview
from .services.code_requests import checkin_codes_request
from .services.codes import checkin_code_reissue
from .services.desk import DeskResult, convening_check_in, surrogate_record
from .services.eligibility import eligibility_decide
from .templatetags.convening_tables import results_html

DESK_SESSION_KEY = "convening_desk"
DESK_PAGE_SIZE = 25
BOARD_PAGE_SIZE = 25
CODES_PAGE_SIZE = 25



class ConveningMixin:
    """The convening named in the URL; any other kind of session is a 404."""

    @cached_property
    def session(self):
        session = selectors.convening_at(self.kwargs["code"])
        if session is None:
            raise Http404("No convening here.")
        return session

    @cached_property
    def now(self):
        return timezone.now()

    @cached_property
    def ledger(self):
        return selectors.ledger_version(self.session)

    def kept(self, name, parts, build):
        """`build()`, kept under the convening's ledger version (one query, read once a request),
        where the clock stands in its segments, the session's own changes and `parts`: a check-in,
        a stand-in, a decision, a code or a team change makes a new key."""
        session = self.session
        key = (scope_key(), session.pk, session.updated_at, session.invitations_changed_at, self.ledger.rows,
               self.ledger.phase(self.now), *parts)
        return kept(f"convening:{name}", key, build)

    def kept_body(self, template_name, body_context, parts):
        """The page's body (`template_name`, rendered with `body_context()`), kept as `kept` keeps a
        part: for a page whose forms are unbound, so it shows nothing typed. Its context is made
        only when the body is rendered again. The forms' CSRF token is a stand-in in the kept copy,
        each request's own put in."""
        def build():
            return render_to_string(template_name, {**body_context(), "csrf_token": CSRF_STAND_IN})

        return with_csrf_token(self.kept(f"body:{template_name}", parts, build), get_token(self.request))

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.session, **kwargs)


class DeskView(ConveningMixin, PermissionMixin, TemplateView):
    permission_required = "convening.run_desk"
    template_name = "convening/desk.html"

    @property
    def desk(self):
        return self.request.session.get(DESK_SESSION_KEY, _("Desk"))

    FORMS = ("code_form", "surrogate_form", "desk_form")

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        page_query, number = urlencode({"q": query}) if query else "", self.request.GET.get("page")
        if not any(getattr(kwargs.get(name), "is_bound", False) for name in self.FORMS):
            # Nothing typed to show again: the whole body is kept, and its parts read only when
            # it is rendered again.
            parts = (page_query, number, query, self.desk, bool(kwargs.get("open_stand_in")))
            body = self.kept_body("convening/includes/desk_body.html",
                                  lambda: self._body_context(query, page_query, number, **kwargs), parts)
            return super().get_context_data(body_html=body, **kwargs)
        context = self._body_context(query, page_query, number, **kwargs)
        context["results_html"] = with_csrf_token(context["results_html"], get_token(self.request))
        return context

    def _body_context(self, query, page_query, number, **kwargs):
        forms = {
            "code_form": CodeCheckInForm(prefix="code"),
            "surrogate_form": SurrogateForm(prefix="stand", session=self.session),
            "desk_form": DeskLabelForm(prefix="desk", initial={"desk": self.desk}),
        }
        forms.update({k: v for k, v in kwargs.items() if v is not None})
        kwargs.update(forms)
        identity_label = str(CodeCheckInForm.base_fields["identity_confirmed"].label)

        def build():
            state = selectors.desk_state(self.session, now=self.now, days=self.ledger.days)
            # The mayors' list a page at a time, the missing first: the counts above stay whole.
            page = Paginator(state.rows, DESK_PAGE_SIZE).get_page(number)
            html = render_to_string("convening/includes/desk_mayors.html", {
                "session": self.session, "state": state, "rows": page.object_list, "page": page,
                "page_query": page_query})
            return replace(state, rows=None), html

        # The counts and the rendered page of the list, kept under the ledger's version.
        state, mayors_html = self.kept("desk", (page_query, number), build)
        results = self._search(query, identity_label)
        return super().get_context_data(
            state=state, mayors_html=mark_safe(mayors_html),  # rendered by our template, escaped there
            query=query, results_html=mark_safe(results), desk=self.desk, **kwargs,
        )

    def _search(self, query, identity_label):
        """The search's results rendered, kept without the forms' token (`CSRF_STAND_IN`: each
        request puts its own in); "" for none."""
        if len(query) < 2:
            return ""

        def build():
            return results_html(selectors.desk_search(self.session, query), query, identity_label)

        return self.kept("desk-search", (query,), build)

    def _back(self):
        url = reverse("convening:desk", kwargs={"code": self.session.code})
        query = self.request.POST.get("q", "").strip()
        return redirect(f"{url}?{urlencode({'q': query})}" if query else url)

    def _report(self, result):
        level = {"success": messages.SUCCESS, "info": messages.INFO}.get(result.level, messages.ERROR)
        messages.add_message(self.request, level, result.message)
        return self._back()

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        handler = {
            "code": self._post_code, "person": self._post_person, "surrogate": self._post_surrogate,
            "desk": self._post_desk,
        }.get(action)
        if handler is None:
            messages.error(request, _("The desk did not understand that request; please try again."))
            return self._back()
        return handler()

    def _post_desk(self):
        form = DeskLabelForm(self.request.POST, prefix="desk")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(desk_form=form))
        self.request.session[DESK_SESSION_KEY] = form.cleaned_data["desk"].strip()
        messages.info(self.request, _("This desk is now called “%(desk)s”.") % {"desk": form.cleaned_data["desk"]})
        return self._back()

    def _post_code(self):
        form = CodeCheckInForm(self.request.POST, prefix="code")
        if form.is_valid():
            try:
                return self._report(convening_check_in(
                    session=self.session, actor=self.request.user, desk=self.desk, code=form.cleaned_data["code"],
                    identity_confirmed=form.cleaned_data["identity_confirmed"],
                ))
            except RuleViolation as error:
                add_rule_error(form, error)
        return self.render_to_response(self.get_context_data(code_form=form))

    def _membership(self, code):
        memberships = Membership.objects.filter(code=code, city__cohort_id=self.session.cohort_id)
        return memberships.select_related("user", "city").first()

    def _post_person(self):
        form = PersonCheckInForm(self.request.POST)
        if not form.is_valid():
            messages.error(self.request, _("Choose a person from the search results."))
            return self._back()
        membership = self._membership(form.cleaned_data["person"])
        if membership is None:
            messages.error(self.request, _("That person is not part of this convening's cohort; search again."))
            return self._back()
        try:
            result = convening_check_in(
                session=self.session, actor=self.request.user, desk=self.desk, person=membership.user,
                identity_confirmed=form.cleaned_data["identity_confirmed"],
            )
        except RuleViolation as error:
            result = DeskResult(DeskResult.REFUSED, error.message)
        return self._report(result)

    def _post_surrogate(self):
        form = SurrogateForm(self.request.POST, prefix="stand", session=self.session)
        if form.is_valid():
            data = form.cleaned_data
            membership = self._membership(data["person"]) if data["person"] else None
            try:
                return self._report(surrogate_record(
                    session=self.session, actor=self.request.user, desk=self.desk,
                    city=data["city"] or (membership.city if membership else None), reason=data["reason"],
                    presented_person=membership.user if membership else None,
                    presented_name=data["presented_name"], code=data["code"],
                ))
            except RuleViolation as error:
                if data["person"]:
                    messages.error(self.request, error.message)
                    return self._back()
                add_rule_error(form, error)
        return self.render_to_response(self.get_context_data(surrogate_form=form, open_stand_in=True))


class BoardView(ConveningMixin, PermissionMixin, TemplateView):
    permission_required = "convening.view_board"
    template_name = "convening/board.html"

    def get_context_data(self, **kwargs):
        pages = (self.request.GET.get("page"), self.request.GET.get("attempts_page"))

        def render():
            board = selectors.board_page(self.session, page=pages[0], attempts_page=pages[1],
                                         per_page=BOARD_PAGE_SIZE, now=self.now, days=self.ledger.days)
            return render_to_string("convening/includes/board_body.html", {
                "session": self.session, "board": board, "days": board.days, "pending": board.pending})

        # Rendered whole (the board has no form): kept under the ledger's version.
        body = mark_safe(self.kept("board", pages, render))  # rendered by our template, escaped there
        return super().get_context_data(board_html=body, **kwargs)


class CodesView(ConveningMixin, PermissionMixin, TemplateView):
    permission_required = "convening.manage_codes"
    template_name = "convening/codes.html"

    def get_context_data(self, **kwargs):
        number = self.request.GET.get("page")

        def build():
            page = Paginator(selectors.code_lines(self.session), CODES_PAGE_SIZE).get_page(number)
            context = {"session": self.session, "mayors": page.object_list, "page": page}
            return [render_to_string("convening/includes/codes_table.html", context),
                    render_to_string("includes/pager.html", {**context, "numbered": True})]

        # The table and its page links, rendered (no token in them) and kept under the ledger's version.
        table, pages = self.kept("codes", (number,), build)
        return super().get_context_data(table_html=mark_safe(table), pages_html=mark_safe(pages), **kwargs)

    def post(self, request, *args, **kwargs):
        here = reverse("convening:codes", kwargs={"code": self.session.code})
        try:
            if request.POST.get("action") == "issue_all":
                missing = checkin_codes_request(session=self.session, actor=request.user)
                messages.success(request, _("Codes are being issued and emailed to %(count)d mayors who had none.")
                                 % {"count": missing})
            elif request.POST.get("action") == "reissue":
                membership = Membership.objects.filter(
                    code=request.POST.get("person", ""), city__cohort_id=self.session.cohort_id
                ).select_related("user", "city", "city__cohort").first()
                if membership is None:
                    messages.error(request, _("That person is not part of this convening's cohort."))
                else:
                    code = checkin_code_reissue(session=self.session, membership=membership, actor=request.user)
                    messages.success(request, _("New code %(code)s emailed to %(person)s; the old one no longer works.")
                                     % {"code": code.code, "person": membership.user})
            else:
                messages.error(request, _("Nothing was changed."))
        except RuleViolation as error:
            messages.error(request, error.message)
        return redirect(here)


class EligibilityView(ConveningMixin, CityMixin, TemplateView):
    permission_required = "convening.decide_eligibility"
    template_name = "convening/eligibility.html"

    @cached_property
    def review(self):
        return EligibilityReview.objects.filter(session=self.session,
                                                city=self.city).select_related("decided_by").first()

    def _same_cohort(self):
        # A city's eligibility only exists for its own cohort's convenings.
        if self.city.cohort_id != self.session.cohort_id:
            raise Http404("This city is not part of this convening.")

    def get(self, request, *args, **kwargs):
        self._same_cohort()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        if form is None:  # the decision's form shows nothing typed: the whole body is kept
            city = self.city
            parts = (city.pk, city.name, city.slug, city.status)
            body = self.kept_body("convening/includes/eligibility_body.html",
                                  lambda: self._body_context(None, **kwargs), parts)
            return super().get_context_data(body_html=body, **kwargs)
        return self._body_context(form, **kwargs)

    def _body_context(self, form, **kwargs):
        def build():
            days, row = selectors.city_board_row(self.session, self.city, now=self.now, days=self.ledger.days)
            html = render_to_string("convening/includes/eligibility_row.html",
                                    {"session": self.session, "days": days, "row": row})
            return html, self.review

        # The city's marks and stand-ins rendered, with its review, kept under the ledger's version.
        row_html, review = self.kept("eligibility", (self.city.pk,), build)
        if form is None and review is not None:
            form = EligibilityForm(initial={"state": review.state if not review.is_pending else None})
        return super().get_context_data(
            row_html=mark_safe(row_html), review=review, form=form, **kwargs)  # rendered by our template, escaped there

    def post(self, request, *args, **kwargs):
        self._same_cohort()
        if self.review is None:
            messages.error(request, _("There is no eligibility review for this city to decide."))
            return redirect(request.path)
        form = EligibilityForm(request.POST)
        if form.is_valid():
            try:
                eligibility_decide(review=self.review, actor=request.user, state=form.cleaned_data["state"],
                                   reason=form.cleaned_data["reason"])
            except RuleViolation as error:
                add_rule_error(form, error)
            else:
                messages.success(request, _("Decision recorded with its reason."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form))
