"""The personal calendar feed: a secret address a person can revoke and renew."""

import secrets

from django.contrib.auth import get_user_model


def calendar_token_renew(*, user):
    """Give the person a new feed address; the old one stops working at once."""
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def calendar_token_revoke(*, user):
    user.calendar_token = None
    user.save(update_fields=["calendar_token"])


def user_for_calendar_token(token):
    """The active person whose feed this is, or None (a wrong or revoked token)."""
    if not token or len(token) > 64:
        return None
    return get_user_model().objects.filter(calendar_token=token, is_active=True).first()
