"""Which language the interface speaks to a person.

People choose a preferred language (English, Spanish, Portuguese), but a page or an email is only
translated once the project ships its own catalog for that language; until then it stays in
English, rather than mixing Django's translated words into English sentences."""

from functools import lru_cache
from pathlib import Path

from django.conf import settings


@lru_cache(maxsize=1)
def translated_languages():
    found = {settings.LANGUAGE_CODE}
    for locale_path in settings.LOCALE_PATHS:
        for code, _name in settings.LANGUAGES:
            if (Path(locale_path) / code / "LC_MESSAGES" / "django.mo").exists():
                found.add(code)
    return frozenset(found)


def interface_language(preferred):
    return preferred if preferred in translated_languages() else settings.LANGUAGE_CODE
