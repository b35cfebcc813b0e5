"""The personal calendar feed: a secret address a person can revoke and renew."""

import secrets

from django.contrib.auth import get_user_model

from accelerator.prepared import PreparedQuery


def calendar_token_renew(*, user):
    """Give the person a new feed address; the old one stops working at once."""
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def calendar_token_revoke(*, user):
    user.calendar_token = None
    user.save(update_fields=["calendar_token"])


# Calendar programs ask for a feed every few minutes: the lookup is compiled once per process.
_PERSON_WITH_TOKEN = PreparedQuery(
    lambda token: get_user_model().objects.filter(calendar_token=token, is_active=True)[:1], token="\x00token\x00")


def user_for_calendar_token(token):
    """The active person whose feed this is, or None (a wrong or revoked token)."""
    if not token or len(token) > 64:
        return None
    found = _PERSON_WITH_TOKEN(token=token)  # a token is unique
    return found[0] if found else None
