import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .i18n import interface_language


class UserPreferencesMiddleware:
    """Show times in the viewer's own zone and pages in their language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            translation.activate(interface_language(user.language))
            request.LANGUAGE_CODE = translation.get_language()
        else:
            timezone.deactivate()
        response = self.get_response(request)
        if not getattr(response, "streaming", False):
            # The zone belongs to this request: whatever runs next in this thread (another
            # request, a task, a test) starts from the default. A streamed response still renders
            # its rows after this returns, in the viewer's zone. The language is left for
            # LocaleMiddleware, which names it in the response's Content-Language.
            timezone.deactivate()
        return response


class TwoFactorRequiredMiddleware:
    """Program staff see every city and coaches read private coaching notes across several: when
    REQUIRE_STAFF_MFA / REQUIRE_COACH_MFA is on, they set up TOTP (with its recovery codes) before
    any other page. Account pages stay reachable, or nobody could set it up."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path_info.startswith(self.ALLOWED_PREFIXES):
            reason = self._reason(user)
            if reason:
                from allauth.mfa.utils import is_mfa_enabled

                if not is_mfa_enabled(user):
                    messages.warning(request, reason)
                    return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _reason(user):
        if settings.REQUIRE_STAFF_MFA and user.is_staff:
            return _("Program staff must set up two-factor authentication before going on.")
        if settings.REQUIRE_COACH_MFA and user.is_coach:
            return _("Coaches must set up two-factor authentication before going on.")
        return None


class RejectNulMiddleware:
    """A NUL character in the address, query or form is a 400. PostgreSQL refuses NUL in text,
    so a code or filter carrying one would reach the database as a server error; no real
    address or form holds one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return HttpResponseBadRequest(_("Bad request."))
        return self.get_response(request)

    @staticmethod
    def _has_nul(request):
        if "\x00" in request.path_info:
            return True
        for params in (request.GET, request.POST):
            for key, values in params.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return True
        return False
