"""Public identifiers: what stands in a URL or on a badge instead of a database id."""

import secrets


def new_public_code():
    """A random, URL-safe code (12 characters, 72 bits): unguessable, so ids cannot be enumerated."""
    return secrets.token_urlsafe(9)
