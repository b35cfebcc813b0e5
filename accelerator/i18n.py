"""Which language the interface speaks to a person.

A signed-in person's preference wins; a visitor gets their browser's language among ours (Django's
LocaleMiddleware). A language is only spoken once the project ships its compiled catalog, so a page
never mixes Django's or the account library's translated words into English sentences."""

import zoneinfo
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import to_locale

# Values stored before Brazilian Portuguese got its own code.
LEGACY = {"pt": "pt-br", "pt_BR": "pt-br", "pt-BR": "pt-br"}


@lru_cache(maxsize=1)
def translated_languages():
    found = {settings.LANGUAGE_CODE}
    for locale_path in settings.LOCALE_PATHS:
        for code, _name in settings.LANGUAGES:
            if (Path(locale_path) / to_locale(code) / "LC_MESSAGES" / "django.mo").exists():
                found.add(code)
    return frozenset(found)


def language_code(stored):
    """A stored language in today's codes ("pt" became "pt-br")."""
    return LEGACY.get(stored or "", stored or "")


def interface_language(preferred):
    """The language to speak to someone who prefers `preferred`; English when we cannot."""
    preferred = language_code(preferred)
    return preferred if preferred in translated_languages() else settings.LANGUAGE_CODE


def language_choose(*, user, language):
    """Remember a signed-in person's chosen language. Returns the code, or None if it is not ours."""
    language = language_code(language)
    if language not in dict(settings.LANGUAGES):
        return None
    if user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return language


def zone_or_utc(name):
    """The time zone called `name`; UTC for an empty or unknown name (a stored value the zone
    database no longer knows must not break a page or a message)."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def choice_label(choices, value):
    """The label of `value` among `choices` (a TextChoices class), as `get_FOO_display` gives it,
    without translating every choice to find one: lists show many rows. An unknown value is shown
    as it is."""
    try:
        return choices(value).label
    except ValueError:
        return value
