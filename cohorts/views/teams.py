from django.contrib import messages
from django.db import transaction
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, UpdateView, View

from accelerator.caching import CSRF_STAND_IN, rendered_once, with_csrf_token
from accelerator.errors import RuleViolation, add_rule_error
from accelerator.permissions import CityMixin
from cohorts.models import Membership, RoleInvitation

from .. import selectors
from ..forms.teams import MembershipRoleForm, TeamInviteForm
from ..services.invitations import invitation_create, invitation_revoke
from ..services.teams import membership_change_role, membership_remove


class TeamView(CityMixin, TemplateView):
    template_name = "cohorts/team.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        team, coaches, invitations = selectors.city_team_page(self.city)
        senior = [m for m in team if not m.is_mayor]
        context.update(
            team=team,
            mayor=next((m for m in team if m.is_mayor), None),
            senior_team_size=len(senior),
            team_size_ok=Membership.SENIOR_TEAM_MIN <= len(senior) <= Membership.SENIOR_TEAM_MAX,
            senior_min=Membership.SENIOR_TEAM_MIN,
            senior_max=Membership.SENIOR_TEAM_MAX,
            coaches=coaches,
        )
        can_manage = context["can_manage"] = self.request.user.has_perm("cohorts.manage_city", self.city)
        if can_manage:
            context["invitations"] = invitations
            context["invite_form"] = kwargs.get("invite_form") or TeamInviteForm()
        if not (can_manage and context["invite_form"].is_bound):
            # The lists and a blank form: rendered once per everything they show, and reused.
            city = self.city
            key = ("team page", get_language(), get_current_timezone_name(), get_urlconf(), get_script_prefix(),
                   city.slug, can_manage,
                   tuple((m.code, m.role, m.title, m.user.full_name, m.user.email) for m in team),
                   tuple(coach.full_name for coach in coaches),
                   tuple((i.code, i.full_name, i.email, i.kind, i.role, i.title, i.expires_at)
                         for i in context.get("invitations", ())))
            markup = rendered_once(key, lambda: render_to_string(
                "cohorts/includes/team_body.html", {**context, "csrf_token": CSRF_STAND_IN}))
            context["body_html"] = with_csrf_token(markup, get_token(self.request))
        return context


class TeamInviteView(CityMixin, FormView):
    permission_required = "cohorts.manage_city"
    form_class = TeamInviteForm
    template_name = "cohorts/form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Invite a team member"), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                result = invitation_create(
                    email=data["email"], full_name=data["full_name"], kind=RoleInvitation.Kind.CITY,
                    city=self.city, role=data["role"], title=data["title"], actor=self.request.user,
                )
        except RuleViolation as error:
            add_rule_error(form, error)
            return self.form_invalid(form)
        if isinstance(result, RoleInvitation):
            messages.success(self.request, _("Invitation sent to %(email)s.") % {"email": result.email})
        else:
            messages.success(self.request,
                             _("%(email)s already had an account and now has this role.") % {"email": data["email"]})
        return redirect("cohorts:team", city_slug=self.city.slug)


class MembershipEditView(CityMixin, UpdateView):
    permission_required = "cohorts.manage_city"
    form_class = MembershipRoleForm
    template_name = "cohorts/form.html"

    def get_object(self, queryset=None):
        return get_object_or_404(self.city.memberships.select_related("user"), code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Role of %(person)s") % {"person": self.object.user}, **kwargs)

    def form_valid(self, form):
        membership = self.get_object()
        try:
            membership_change_role(
                membership=membership, role=form.cleaned_data["role"], title=form.cleaned_data["title"],
                actor=self.request.user,
            )
        except RuleViolation as error:
            add_rule_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Role saved."))
        return redirect("cohorts:team", city_slug=self.city.slug)


class MembershipRemoveView(CityMixin, TemplateView):
    permission_required = "cohorts.manage_city"
    template_name = "cohorts/confirm_remove.html"

    def get_membership(self):
        return get_object_or_404(self.city.memberships.select_related("user"), code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(membership=self.get_membership(), **kwargs)

    def post(self, request, *args, **kwargs):
        membership = self.get_membership()
        membership_remove(membership=membership, actor=request.user)
        messages.success(request, _("%(person)s is no longer on the team.") % {"person": membership.user})
        return redirect("cohorts:team", city_slug=self.city.slug)


class InvitationRevokeView(CityMixin, View):
    permission_required = "cohorts.manage_city"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        invitation = get_object_or_404(self.city.invitations, code=kwargs["code"])
        invitation_revoke(invitation=invitation, actor=request.user)
        messages.success(request, _("Invitation withdrawn."))
        return redirect("cohorts:team", city_slug=self.city.slug)
