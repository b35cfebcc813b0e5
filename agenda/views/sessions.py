import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View
from django_scopes import scopes_disabled

from accelerator.caching import CSRF_STAND_IN, kept, rendered_once, with_csrf_token
from accelerator.errors import RuleViolation, add_rule_error
from accelerator.permissions import CityMixin, PermissionMixin
from agenda import selectors as selectors_sessions
from agenda.forms import (
    AttendanceForm,
    CalendarFilterForm,
    CancelForm,
    DayFormSet,
    RSVPForm,
    SessionForm,
    day_initial,
    days_from,
)
from agenda.ics import calendar_bytes
from agenda.models import Session
from agenda.page_cache import cached_feed, cached_html, cached_parts, scope_key
from agenda.panels import session_panels
from agenda.services.attendance import attendance_mark
from agenda.services.calendar_feed import calendar_token_renew, calendar_token_revoke, user_for_calendar_token
from agenda.services.feedback import asks_feedback
from agenda.services.session_invitations import invitation_respond, invitations_nudge, invitations_summary
from agenda.services.sessions import session_cancel, session_create, session_update
from cohorts.models import Cohort
from cohorts.models.teams import role_label_of


def viewer_zone():
    return timezone.get_current_timezone()


class SessionMixin(PermissionMixin):
    """A page of one session, looked up through the viewer's visible sessions (404 otherwise)."""

    permission_required = "agenda.view_session"
    with_days = True  # a convening's segments, read with the session (False: read only if asked for)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.session = self.get_session(request.user, kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def get_session(self, user, code):
        session = selectors_sessions.session_at(user, code, lambda: self.get_sessions(user))
        if session is None:
            raise Http404("No session here.")
        if self.with_days:
            prefetch_related_objects([session], "days")  # as `get_sessions` reads them
        return session

    def get_sessions(self, user):
        sessions = Session.objects.visible_to(user).select_related("cohort", "city")
        return sessions.prefetch_related("days") if self.with_days else sessions

    def get_permission_object(self):
        return self.session

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.session, zone=viewer_zone(), **kwargs)


class CohortCalendarView(PermissionMixin, TemplateView):
    permission_required = "agenda.view_cohort_calendar"
    template_name = "agenda/cohort_calendar.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cohort, self.cities = selectors_sessions.calendar_cohort(request.user, kwargs["cohort_slug"])
            if self.cohort is None:
                raise Http404("No cohort here.")
        return super().dispatch(request, *args, **kwargs)

    def _month(self):
        raw = self.request.GET.get("month", "")
        try:
            year, month = (int(part) for part in raw.split("-"))
            if not datetime.MINYEAR < year < datetime.MAXYEAR:  # the page steps a month either side
                raise ValueError(year)
            return datetime.date(year, month, 1)
        except (ValueError, TypeError):
            today = timezone.localdate()
            if self.cohort.start_date <= today <= self.cohort.end_date:
                return today.replace(day=1)
            return self.cohort.start_date.replace(day=1)

    FILTERS = ("kind", "city", "goal")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(cohort=self.cohort, zone=viewer_zone(), **kwargs)
        params, user = self.request.GET, self.request.user
        view = "list" if params.get("view") == "list" else "month"
        month = self._month() if view == "month" else None
        today = timezone.localdate()
        cities = self.cities

        def render():
            # Everything below the heading: the views, the filters (with a notice for each value
            # that is not a choice) and the month or the list.
            filter_form = CalendarFilterForm(params, cities=cities)
            filters = filter_form.chosen()
            query = filter_form.query()
            body = dict(context, view=view, filter_form=filter_form, filter_notices=filter_form.notices(),
                        filter_query=f"&{query}" if query else "", filtered=bool(filters), today=today)
            if view == "list":
                body["sessions"] = selectors_sessions.cohort_sessions(self.cohort, user, filters)
                selectors_sessions.mark_today(body["sessions"], viewer_zone())
            else:
                previous = (month - datetime.timedelta(days=1)).replace(day=1)
                following = (month + datetime.timedelta(days=32)).replace(day=1)
                body.update(month=month, previous=previous.strftime("%Y-%m"), following=following.strftime("%Y-%m"))
                body["weeks"], body["sessions"] = selectors_sessions.cohort_month(
                    self.cohort, user, month.year, month.month, viewer_zone(), filters)
            return render_to_string("agenda/includes/cohort_calendar_body.html", body)

        # Kept under the sessions' version, the cities offered (and their names) and the filters
        # as asked: a value that is not a choice is part of the key, so its notice is kept too.
        version = selectors_sessions.cohort_sessions_version(self.cohort)
        asked = tuple(params.get(name, "") for name in self.FILTERS)
        context["calendar_html"] = cached_html(
            "calendar", (user.pk, self.cohort.pk, version, view, month, asked, tuple(cities), today), render)
        return context


class SessionFormMixin:
    template_name = "agenda/session_form.html"

    def get_days_formset(self):
        if self.request.method == "POST":
            return DayFormSet(self.request.POST, prefix="days")
        return DayFormSet(prefix="days", initial=self.days_initial())

    def days_initial(self):
        return []

    def get_context_data(self, **kwargs):
        kwargs.setdefault("days_formset", self.get_days_formset())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        days_formset = self.get_days_formset()
        if form.is_valid() and days_formset.is_valid():
            data = dict(form.cleaned_data)
            data["learning_goal"] = data["learning_goal"] or ""
            days = days_from(days_formset, data["time_zone"])
            try:
                session = self.save(data, days)
            except RuleViolation as error:
                if error.field == "days":
                    days_formset._non_form_errors = days_formset.error_class(error.messages)
                else:
                    add_rule_error(form, error)
                return self.render_to_response(self.get_context_data(form=form, days_formset=days_formset))
            return redirect(session.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, days_formset=days_formset))


class SessionCreateView(SessionFormMixin, PermissionMixin, FormView):
    permission_required = "agenda.manage_sessions"
    form_class = SessionForm

    def dispatch(self, request, *args, **kwargs):
        self.cohort = get_object_or_404(Cohort, slug=kwargs["cohort_slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.cohort

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cohort": self.cohort}

    def get_initial(self):
        user_zone = self.request.user.time_zone or "UTC"
        return {"time_zone": user_zone, "required": True, "kind": Session.Kind.WORKSHOP,
                "audience": Session.Audience.SENIOR_TEAMS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cohort=self.cohort, heading=_("New session in %(cohort)s") % {"cohort": self.cohort}, **kwargs
        )

    def save(self, data, days):
        session = session_create(cohort=self.cohort, actor=self.request.user, days=days, **data)
        count = invitations_summary(session)["total"]
        if count:
            messages.success(self.request, _("Session created; %(count)d people are invited.") % {"count": count})
        else:
            # Invitations follow the audience: people who have not joined yet (an invitation to
            # the program not yet accepted) are invited the moment they join a team.
            messages.warning(self.request, _(
                "Session created, but nobody is invited yet: no one who has joined the program fits its audience "
                "(%(audience)s). People who have not accepted their invitation to the program yet are invited "
                "to this session automatically as soon as they join their city's team."
            ) % {"audience": session.get_audience_display()})
        return session


class SessionEditView(SessionFormMixin, SessionMixin, FormView):
    permission_required = "agenda.manage_sessions"
    form_class = SessionForm

    def get_permission_object(self):
        return self.session.cohort

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cohort": self.session.cohort}

    def get_initial(self):
        return SessionForm.initial_for(self.session)

    def days_initial(self):
        return day_initial(self.session)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cohort=self.session.cohort, heading=_("Edit “%(title)s”") % {"title": self.session.title}, **kwargs
        )

    def save(self, data, days):
        window = (self.session.starts_at, self.session.ends_at)
        session = session_update(session=self.session, actor=self.request.user, days=days, **data)
        if (session.starts_at, session.ends_at) != window:
            messages.success(self.request, _("Session moved; the invitees are told the new time."))
        else:
            messages.success(self.request, _("Session saved."))
        return session


def invitee_page(request, session):
    """The page of invitees the address asks for (`?city=<slug>&page=<n>`)."""
    return selectors_sessions.session_invitees(session, city=request.GET.get("city", ""),
                                               page=request.GET.get("page"))


class SessionDetailView(SessionMixin, TemplateView):
    """The session page: details for everyone who may see it, the viewer's RSVP, and for staff
    and coaches the invitees' answers."""

    template_name = "agenda/session_detail.html"
    with_days = False  # read only to render the kept details (or by a panel that shows them)

    def get_sessions(self, user):
        # The viewer's invitation comes in the session's query.
        return selectors_sessions.with_my_invitation(super().get_sessions(user), user)

    def get_my_invitation(self):
        return selectors_sessions.my_invitation_of(self.session)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        my_invitation = kwargs.get("my_invitation") or self.get_my_invitation()
        context["my_invitation"] = my_invitation
        # Someone already checked in (or marked present) has answered by coming: no prompt to answer.
        context["checked_in"] = my_invitation is not None and my_invitation.attended
        context["panels"] = session_panels(self.session, user)
        if my_invitation is not None and "rsvp_form" not in kwargs:
            initial = {"response": my_invitation.response, "reason": my_invitation.reason}
            context["rsvp_form"] = RSVPForm(initial=initial if my_invitation.responded_at else None)
            # Nothing typed to show again: the answer's card is rendered once per what it shows.
            session, answered = self.session, my_invitation.responded_at is not None
            key = ("rsvp card", get_language(), my_invitation.response, my_invitation.reason, answered,
                   context["checked_in"], session.is_cancelled, session.has_ended)
            card = rendered_once(key, lambda: render_to_string("agenda/includes/rsvp_card.html", {
                "my_invitation": my_invitation, "checked_in": context["checked_in"], "session": session,
                "rsvp_form": context["rsvp_form"], "csrf_token": CSRF_STAND_IN}))
            context["rsvp_html"] = with_csrf_token(card, get_token(self.request))
        context["can_manage"] = user.has_perm("agenda.manage_sessions", self.session.cohort)
        context["can_mark"] = user.has_perm("agenda.mark_attendance", self.session)
        if user.is_staff or user.is_coach:
            # The answer counts and the list of invitees are kept under the version of the
            # invitations (the session's own stamp, raised by every answer) and of the marks, so a
            # repeat view counts no answers, reads no page of invitees and renders no row.
            session, params = self.session, self.request.GET
            version = (session.invitations_changed_at, selectors_sessions.marks_version(session))

            def build():
                html = render_to_string("agenda/includes/session_invitees.html",
                                        {"invitees": invitee_page(self.request, session)})
                return {"summary": invitations_summary(session), "html": html}

            invitees = kept("agenda:session-invitees", (
                scope_key(), user.pk, session.pk, version, params.get("city", ""), params.get("page", "")), build)
            context["summary"] = invitees["summary"]
            context["invitees_html"] = mark_safe(invitees["html"])  # rendered by our template, escaped there
        session = self.session
        # What the session is (its times, days, audience, description) changes only with an edit,
        # which raises its `updated_at` (its days' too): kept under it.
        details = {"session": session, "zone": viewer_zone()}
        context["details_html"] = cached_html(
            "session-details", (session.pk, session.updated_at, session.starts_at, session.ends_at),
            lambda: render_to_string("agenda/includes/session_details.html", details))
        context["display_zone"] = self.session.display_zone(viewer_zone())
        context["can_view_feedback"] = (asks_feedback(self.session) and self.session.starts_at <= timezone.now()
                                        and user.has_perm("agenda.view_feedback", self.session))
        if (my_invitation is not None and self.session.has_ended and my_invitation.attended
                and asks_feedback(self.session)):
            context["my_feedback"] = self.session.feedback.filter(person=user).first()
            context["can_give_feedback"] = True
        return context

    def post(self, request, *args, **kwargs):
        invitation = self.get_my_invitation()
        if invitation is None:
            raise Http404
        form = RSVPForm(request.POST)
        if form.is_valid():
            try:
                invitation.session = self.session
                invitation_respond(invitation=invitation, actor=request.user, **form.cleaned_data)
            except RuleViolation as error:
                add_rule_error(form, error)
            else:
                messages.success(request, _("Thank you; your answer is saved."))
                return redirect(self.session.get_absolute_url())
        return self.render_to_response(self.get_context_data(rsvp_form=form, my_invitation=invitation))


class SessionCancelView(SessionMixin, FormView):
    permission_required = "agenda.manage_sessions"
    form_class = CancelForm
    template_name = "agenda/session_cancel.html"

    def get_permission_object(self):
        return self.session.cohort

    def form_valid(self, form):
        try:
            session_cancel(session=self.session, actor=self.request.user, reason=form.cleaned_data["reason"])
        except RuleViolation as error:
            add_rule_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Session cancelled; the invitees are told."))
        return redirect(self.session.get_absolute_url())


class SessionNudgeView(SessionMixin, View):
    permission_required = "agenda.manage_sessions"
    http_method_names = ["post"]

    def get_permission_object(self):
        return self.session.cohort

    def post(self, request, *args, **kwargs):
        try:
            count = invitations_nudge(session=self.session, actor=request.user)
        except RuleViolation as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)d people who have not answered were reminded.") % {"count": count})
        return redirect(self.session.get_absolute_url())


class SessionAttendanceView(SessionMixin, FormView):
    permission_required = "agenda.mark_attendance"
    template_name = "agenda/session_attendance.html"
    form_class = AttendanceForm
    with_days = False

    PARTS = ("top", "body", "pages")  # the filter and counts, the form's rows, the page links

    def get_form_kwargs(self):
        # One page of invitees at a time (a city, or 50 by city and name): saving a page leaves
        # the marks of every other page as they are.
        self.invitees = invitee_page(self.request, self.session)
        current = {pid: a.status for pid, a in self.invitees.marks.items()}
        return {**super().get_form_kwargs(), "invitations": self.invitees.rows, "current": current}

    def _part(self, name, form):
        return render_to_string(
            "agenda/includes/invitee_pages.html" if name == "pages" else f"agenda/includes/attendance_{name}.html",
            {"invitees": self.invitees, "form": form, "marks": self.invitees.marks, "session": self.session})

    def get(self, request, *args, **kwargs):
        # Unchanged rows are kept under the version of the invitations (the session's own stamp)
        # and of the marks; the form's token stays outside them.
        version = (self.session.invitations_changed_at, selectors_sessions.marks_version(self.session))
        key = (request.user.pk, self.session.pk, version, request.GET.get("city", ""), request.GET.get("page", ""))

        def render():  # the three parts, kept together: one read of the cache
            form = self.get_form()
            return [self._part(name, form) for name in self.PARTS]

        kept = cached_parts("attendance", key, render)
        parts = {f"{name}_html": html for name, html in zip(self.PARTS, kept, strict=True)}
        return self.render_to_response(self.get_context_data(form=None, **parts))

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"] = self.get_form()  # which also reads the invitees and their marks
        if "body_html" not in kwargs:  # a form sent back with its errors: rendered as it stands, escaped there
            kwargs.update({f"{name}_html": mark_safe(self._part(name, kwargs["form"]))
                           for name in self.PARTS})
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            changed = attendance_mark(session=self.session, actor=self.request.user, marks=form.marks())
        except RuleViolation as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Attendance saved (%(count)d changes).") % {"count": changed})
        return redirect(self.request.get_full_path())  # the same page of invitees


def _ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class SessionICSView(SessionMixin, View):
    def get(self, request, *args, **kwargs):
        content = calendar_bytes([self.session], name=self.session.title)
        return _ics_response(content, f"{slugify(self.session.title) or 'session'}.ics")


class MySessionsView(LoginRequiredMixin, TemplateView):
    template_name = "agenda/my_sessions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(zone=viewer_zone(), **kwargs)
        user = self.request.user
        if user.is_staff or user.is_coach:
            marks = selectors_sessions.my_marks(user)
            sessions_version = selectors_sessions.sessions_version(selectors_sessions.visible_sessions(user))
        else:  # the sessions they are invited to, with the cities they see (in the kept part's key)
            sessions_version, marks = selectors_sessions.invited_version_and_marks(user)
        version = (sessions_version, list(marks.items()))

        def render():
            mine = selectors_sessions.my_sessions(user, attendance=marks)
            return render_to_string("agenda/includes/my_sessions_body.html", {"mine": mine, "zone": context["zone"]})

        context["sessions_html"] = cached_html("my-sessions", (user.pk, version), render)
        token = self.request.user.calendar_token
        if token:
            from django.urls import reverse

            # The address the person is using right now is the one their calendar can reach.
            context["feed_url"] = self.request.build_absolute_uri(reverse("agenda:calendar_feed",
                                                                          kwargs={"token": token}))
        return context


class CalendarTokenView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "revoke":
            calendar_token_revoke(user=request.user)
            messages.success(request, _("Your calendar feed address no longer works."))
        else:
            had_one = bool(request.user.calendar_token)
            calendar_token_renew(user=request.user)
            if had_one:
                messages.success(request, _("Your calendar feed has a new address; the old one no longer works."))
            else:
                messages.success(request, _("Your calendar feed address is ready: add it to your calendar program."))
        return redirect("agenda:my_sessions")


class CalendarFeedView(View):
    """`/calendar/<token>.ics`: the token is the credential. A wrong or revoked token is a plain 404."""

    def get(self, request, token):
        user = user_for_calendar_token(token)
        if user is None:
            raise Http404
        with scopes_disabled():  # the feed's owner, not the (absent) session, decides what shows
            # Keyed on the version of the sessions shown: a change to one of them, a session
            # gained or lost (a team or coach change), or one leaving the window makes a new body.
            # The sessions themselves are read only when the body is built again.
            version = selectors_sessions.feed_version(user)
            name = _("Accelerator — %(name)s") % {"name": user.full_name}
            content = cached_feed(user, version, name, lambda: list(
                selectors_sessions.feed_sessions(user).prefetch_related("days").order_by("starts_at")))
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=300"
        return response


class CitySessionsView(CityMixin, TemplateView):
    template_name = "agenda/city_sessions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(zone=viewer_zone(), **kwargs)
        user, zone = self.request.user, context["zone"]
        # The versions of the city's sessions and marks, and its team, in one statement: a new
        # session, a change to one, a mark or a team change makes a new key.
        state = selectors_sessions.city_sessions_state(self.city)
        team = state.team
        version = (state.version, state.marks, team)

        def render():  # both lists and the team's rates, kept together: one read of the cache
            rates, person_rates = selectors_sessions.city_rates(self.city)
            upcoming, past = selectors_sessions.city_sessions(self.city, user, rates=rates)
            team_rates = [(name, role_label_of(role, title), person_rates.get(person_id))
                          for person_id, name, role, title in team]
            return [render_to_string("agenda/city_session_table.html", {"sessions": upcoming, "zone": zone}),
                    render_to_string("agenda/includes/city_team_rates.html", {"team_rates": team_rates}),
                    render_to_string("agenda/city_session_table.html",
                                     {"sessions": past, "zone": zone, "show_rate": True})]

        context["upcoming_html"], context["team_html"], context["past_html"] = cached_parts(
            "city-sessions", (user.pk, self.city.pk, version), render)
        return context
