from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from accelerator.caching import kept
from accelerator.errors import RuleViolation, add_rule_error

from .. import selectors
from ..forms import ReplyForm, ThreadForm
from ..guide import PLAN_PART_LABELS
from ..services.comments import thread_reply, thread_resolve, thread_start
from .base import StrategyMixin


class ThreadsView(StrategyMixin, TemplateView):
    template_name = "strategy/comments.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        can_start = user.has_perm("strategy.start_thread", self.city)
        form = kwargs.get("form")
        if form is None and can_start:
            part = self.request.GET.get("part")
            part = part if part in PLAN_PART_LABELS else None
            form = ThreadForm(initial={"part": part})
            # The empty form is the same for everyone: kept per part chosen (and language).
            context["form_html"] = mark_safe(kept(  # rendered (and escaped) by our own template
                "strategy:thread-form", (part,),
                lambda: render_to_string("strategy/includes/thread_form_fields.html", {"form": form})))
        context.update(
            threads=selectors.plan_threads(self.city), reply_form=ReplyForm(),
            can_start=can_start, can_reply=user.has_perm("strategy.reply", self.city), form=form,
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("strategy.start_thread", self.city):
            raise PermissionDenied
        form = ThreadForm(request.POST)
        if form.is_valid():
            try:
                thread_start(city=self.city, actor=request.user, strategy=self.strategy,
                             part=form.cleaned_data["part"], body=form.cleaned_data["body"])
            except RuleViolation as error:
                add_rule_error(form, error)
            else:
                messages.success(request, _("Comment added."))
                return redirect("strategy:comments", city_slug=self.city.slug)
        return self.render_to_response(self.get_context_data(form=form))


class ThreadActionView(StrategyMixin, View):
    permission_required = "strategy.reply"
    http_method_names = ["post"]
    action = "reply"

    def post(self, request, *args, **kwargs):
        thread = get_object_or_404(self.strategy.threads.filter(city=self.city), code=kwargs["code"])
        if self.action == "reply":
            try:
                thread_reply(city=self.city, actor=request.user, thread=thread, body=request.POST.get("body", ""))
            except RuleViolation as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Answer added."))
        else:
            resolved = request.POST.get("resolved", "1") == "1"
            thread_resolve(city=self.city, actor=request.user, thread=thread, resolved=resolved)
            messages.success(request, _("Thread resolved.") if resolved else _("Thread reopened."))
        url = reverse("strategy:comments", kwargs={"city_slug": self.city.slug})
        return redirect(f"{url}#thread-{thread.code}")
