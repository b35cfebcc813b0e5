import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.utils.translation import get_language

from .client_ip import client_ip
from .outbox.services import Address, mail_send


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # People join by invitation from program staff only.
        return False

    def get_client_ip(self, request):
        # allauth keys its per-address rate limits on this. Its own X-Forwarded-For reading
        # (ALLAUTH_TRUSTED_PROXY_COUNT) raises on a header shorter than the proxy count, so one
        # odd request would be a server error; ours falls back to the connecting address.
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine the client's address.")
        return address

    def send_mail(self, template_prefix, email, context):
        """The account's messages (address confirmation, password reset) go through the outbox
        like every other message: rendered here in the visitor's language, sent by the worker."""
        request = allauth_context.request
        values = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        rendered = self.render_mail(template_prefix, email, values)
        subject = rendered.subject.removeprefix(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
        html = next((content for content, mimetype in getattr(rendered, "alternatives", [])
                     if mimetype == "text/html"), "")
        user = context.get("user")
        mail_send(
            "account.message",
            to=Address(email=email, name=str(user) if user is not None else "", language=get_language() or "",
                       time_zone=getattr(user, "time_zone", "") or "UTC"),
            context={"subject": subject, "text": rendered.body, "html": html},
            key=f"account:{template_prefix.rpartition('/')[2]}:{uuid.uuid4().hex}",
        )
