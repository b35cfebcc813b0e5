from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, UpdateView, View

from cohorts import selectors
from cohorts.services.invitations import InvitationUnusable, invitation_accept, invitation_for_token
from cohorts.tenancy import viewer_memberships

from .forms import AcceptInvitationForm, ProfileForm
from .health import broker_state, database_state
from .i18n import interface_language, language_choose


class HomeView(LoginRequiredMixin, TemplateView):
    """Each role lands on its own world: staff on cohorts, coaches on their cities,
    a city's people on their city (or, in several cohorts, on the list of their cities)."""

    def get(self, request, *args, **kwargs):
        user = request.user
        if user.is_staff:
            return render(request, "accelerator/home_staff.html", {"cohorts": selectors.cohorts_for_user(user)})
        if user.is_coach:
            from dashboards.coach_home import coach_home_html

            return render(request, "accelerator/home_coach.html", {"cities_html": coach_home_html(user)})
        memberships = viewer_memberships(user)
        if len(memberships) == 1:
            return redirect("dashboards:city_home", city_slug=memberships[0].city.slug)
        if memberships:  # a city in each cohort the person took part in, the newest first
            return render(request, "accelerator/home_member.html", {"memberships": memberships})
        return render(request, "accelerator/home_none.html")


class ProfileView(LoginRequiredMixin, UpdateView):
    form_class = ProfileForm
    template_name = "accelerator/profile.html"

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Your settings are saved."))
        return redirect("profile")


class InvitationAcceptView(View):
    template_name = "accelerator/invitation_accept.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.invitation = invitation_for_token(kwargs["token"])
        except InvitationUnusable as unusable:
            return render(request, "accelerator/invitation_unusable.html", {"reason": unusable.reason}, status=410)
        if self.invitation is None:
            raise Http404
        self._speak_the_citys_language(request)
        return super().dispatch(request, *args, **kwargs)

    def _speak_the_citys_language(self, request):
        """An invitation to a city's team opens in the language the city is set to, unless the
        visitor already chose one with the switcher."""
        city = getattr(self.invitation, "city", None)
        if city is None or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or request.user.is_authenticated:
            return
        translation.activate(interface_language(city.language))
        request.LANGUAGE_CODE = translation.get_language()

    def get(self, request, *args, **kwargs):
        form = AcceptInvitationForm(initial={"full_name": self.invitation.full_name}, email=self.invitation.email)
        return render(request, self.template_name, {"form": form, "invitation": self.invitation})

    def post(self, request, *args, **kwargs):
        form = AcceptInvitationForm(request.POST, email=self.invitation.email)
        if form.is_valid():
            try:
                user = invitation_accept(
                    invitation=self.invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
            except InvitationUnusable as unusable:
                return render(request, "accelerator/invitation_unusable.html", {"reason": unusable.reason}, status=410)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome, %(name)s. Your account is ready.") % {"name": user.full_name})
            return redirect("home")
        return render(request, self.template_name, {"form": form, "invitation": self.invitation})


class LanguageView(View):
    """The language switcher on every page: a signed-in person's choice becomes their preference;
    a visitor's is kept in a cookie. Either way they come back to the page they were on."""

    def post(self, request, *args, **kwargs):
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            back = "/"
        response = redirect(back)
        language = language_choose(user=request.user, language=request.POST.get("language", ""))
        if language is not None:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE, httponly=True,
            )
        return response


def healthz(request):
    db_ok, db_detail = database_state()
    broker_ok, broker_detail = broker_state()
    healthy = db_ok and broker_ok
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "database": {"ok": db_ok, "detail": db_detail},
            "broker": {"ok": broker_ok, "detail": broker_detail},
        },
        status=200 if healthy else 503,
    )
