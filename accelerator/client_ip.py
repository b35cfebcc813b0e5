"""The address a request came from, as far as the proxies in front of us can vouch for it."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address: `TRUSTED_PROXY_COUNT` entries from the right of X-Forwarded-For.

    Each proxy we run appends the address it was connected from, so the rightmost N entries were
    written by our own proxies and anything further left is whatever the client chose to send.
    With no trusted proxy, or a header that is missing, too short or not an address, the
    connecting address (REMOTE_ADDR) is the answer: bad input never blames an address someone
    typed into a header, and never fails the request. None when not even REMOTE_ADDR is one."""
    depth = settings.TRUSTED_PROXY_COUNT
    header = request.headers.get("x-forwarded-for", "")
    if depth > 0 and header:
        hops = header.split(",")
        if len(hops) >= depth:
            address = _parse_address(hops[-depth])
            if address:
                return address
    return _parse_address(request.META.get("REMOTE_ADDR", ""))


def _parse_address(value):
    value = value.strip()
    # Some proxies write the port too: "203.0.113.9:51234" or "[2001:db8::1]:443".
    if value.startswith("[") and "]" in value:
        value = value[1:value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
