from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accelerator.errors import RuleViolation, add_rule_error
from accelerator.permissions import PermissionMixin
from cohorts.models import RoleInvitation

from ..forms.teams import PersonInviteForm
from ..selectors import coaches_and_staff, program_pending_invitations
from ..services.invitations import invitation_create


class PeopleView(PermissionMixin, FormView):
    """Coaches and program staff, and invitations for new ones."""

    permission_required = "cohorts.manage_people"
    form_class = PersonInviteForm
    template_name = "cohorts/people.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["coaches"], context["staff"] = coaches_and_staff()
        context["invitations"] = program_pending_invitations()
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            result = invitation_create(
                email=data["email"], full_name=data["full_name"], kind=data["kind"], actor=self.request.user
            )
        except RuleViolation as error:
            add_rule_error(form, error)
            return self.form_invalid(form)
        if isinstance(result, RoleInvitation):
            messages.success(self.request, _("Invitation sent to %(email)s.") % {"email": result.email})
        else:
            messages.success(self.request,
                             _("%(email)s already had an account and now has this role.") % {"email": data["email"]})
        return redirect("cohorts:people")
