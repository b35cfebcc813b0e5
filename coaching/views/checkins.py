from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accelerator.errors import RuleViolation, add_rule_error
from accelerator.pagination import CountingPaginator
from accelerator.permissions import CityMixin

from .. import page_cache, selectors
from ..forms import ActionItemFormSet, ActionItemStatusForm, CheckInForm
from ..services.checkins import CHECKIN_FIELDS, action_item_set_status, checkin_create, checkin_update


def can_see_notes(request, city):
    return request.user.has_perm("coaching.view_private_notes", city)


class CoachingLogView(CityMixin, TemplateView):
    """Every open item on top, then the check-ins, newest first, a page at a time: the whole
    history stays reachable (last month's notes are a page or two back)."""

    permission_required = "coaching.view"
    template_name = "coaching/log.html"
    paginate_by = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, city, path = self.request.user, self.city, self.request.path
        rights = {
            "show_notes": can_see_notes(self.request, city),
            "can_update_items": user.has_perm("coaching.update_action_item", city),
            "can_log": user.has_perm("coaching.log_checkin", city),
        }
        number = self.request.GET.get("page")

        def render():
            page = CountingPaginator(
                selectors.city_checkins(city, with_private_notes=rights["show_notes"]), self.paginate_by
            ).get_page(number)
            checkins = list(page.object_list)
            return render_to_string("coaching/_log_body.html", {
                "city": city, "page": page, "checkins": selectors.attendee_names(checkins),
                "open_items": selectors.log_items(city, checkins), "next": path, **rights,
            })

        context["body"] = page_cache.city_html("log", city, (sorted(rights.items()), number, path), render)
        return context


class CheckInDetailView(CityMixin, TemplateView):
    permission_required = "coaching.view"
    template_name = "coaching/checkin_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, city, code, path = self.request.user, self.city, self.kwargs["code"], self.request.path
        rights = {
            "show_notes": can_see_notes(self.request, city),
            "can_update_items": user.has_perm("coaching.update_action_item", city),
            "can_log": user.has_perm("coaching.log_checkin", city),
        }

        def build():
            checkin = get_object_or_404(
                selectors.city_checkins(city, with_private_notes=rights["show_notes"]).prefetch_related(
                    selectors.attendees_with_people()
                ),
                code=code,
            )
            selectors.log_items(city, [checkin], with_open_items=False)
            body = render_to_string("coaching/_checkin_body.html",
                                    {"city": city, "checkin": checkin, "next": path, **rights})
            return {"held_on": checkin.held_on, "body": body}

        shown = page_cache.city_part("checkin", city, (code, sorted(rights.items()), path), build)
        context.update(held_on=shown["held_on"], body=mark_safe(shown["body"]))  # our template escaped it
        return context


class CheckInFormMixin:
    template_name = "coaching/checkin_form.html"
    permission_required = "coaching.log_checkin"

    def get_checkin(self):
        return None

    def render_forms(self, form, formset, status=200):
        context = self.get_context_data(
            form=form, formset=formset, checkin=self.get_checkin(),
            open_items=list(selectors.open_action_items(self.city)),
        )
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_forms(self.make_form(), ActionItemFormSet(prefix="items", form_kwargs={"city": self.city}))

    def post(self, request, *args, **kwargs):
        form = self.make_form(data=request.POST)
        formset = ActionItemFormSet(request.POST, prefix="items", form_kwargs={"city": self.city})
        if form.is_valid() and formset.is_valid():
            fields = {name: form.cleaned_data[name] for name in CHECKIN_FIELDS}
            try:
                checkin = self.save(fields, form.cleaned_data["attendees"], formset.items())
            except RuleViolation as error:
                add_rule_error(form, error)
            else:
                messages.success(request, _("Check-in saved."))
                return redirect(checkin.get_absolute_url())
        return self.render_forms(form, formset)


class CheckInCreateView(CheckInFormMixin, CityMixin, TemplateView):
    def make_form(self, data=None):
        return CheckInForm(data=data, city=self.city, initial={"held_on": timezone.localdate()})

    def save(self, fields, attendees, items):
        return checkin_create(city=self.city, actor=self.request.user, attendees=attendees, items=items, **fields)


class CheckInEditView(CheckInFormMixin, CityMixin, TemplateView):
    def get_checkin(self):
        if not hasattr(self, "_checkin"):
            self._checkin = get_object_or_404(self.city.checkins.select_related("city"), code=self.kwargs["code"])
        return self._checkin

    def make_form(self, data=None):
        return CheckInForm(data=data, city=self.city, instance=self.get_checkin())

    def save(self, fields, attendees, items):
        return checkin_update(
            checkin=self.get_checkin(), actor=self.request.user, attendees=attendees, items=items, **fields
        )


class ActionItemStatusView(CityMixin, TemplateView):
    """The city's team (and its coach) move their own action items along."""

    permission_required = "coaching.update_action_item"
    template_name = "coaching/action_item_status.html"

    def get_item(self):
        return get_object_or_404(
            self.city.action_items.select_related("owner__user", "checkin"), code=self.kwargs["code"]
        )

    def next_url(self):
        candidate = self.request.POST.get("next") or self.request.GET.get("next")
        if candidate and url_has_allowed_host_and_scheme(candidate, {self.request.get_host()}):
            return candidate
        return None

    def get(self, request, *args, **kwargs):
        item = self.get_item()
        return self.render_to_response(
            self.get_context_data(item=item, form=ActionItemStatusForm(instance=item), next=self.next_url())
        )

    def post(self, request, *args, **kwargs):
        item = self.get_item()
        form = ActionItemStatusForm(request.POST, instance=item)
        if form.is_valid():
            try:
                action_item_set_status(item=self.get_item(), actor=request.user, status=form.cleaned_data["status"])
            except RuleViolation as error:
                add_rule_error(form, error)
            else:
                messages.success(request, _("Action item updated."))
                return redirect(self.next_url() or reverse("coaching:log", kwargs={"city_slug": self.city.slug}))
        return self.render_to_response(self.get_context_data(item=item, form=form, next=self.next_url()))
