from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied

from .client_ip import client_ip


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
