"""Every page of the access matrix, opened by a Spanish and by a Portuguese speaker, holds none of
the catalog's English sentences: a string left out of the catalog, or built outside the
translation machinery, shows up here with the page it leaks on."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from django_scopes import scopes_disabled

from accelerator.tests.test_page_queries import GET_PAGES, main_role

# A sentence of at least this many words: shorter strings ("Open", "Team page") are too often
# the same as a name, a code or a word the city wrote itself.
MIN_WORDS = 4
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
TAG = re.compile(r"<[^>]+>")


def english_sentences(language):
    """Each catalog entry's longest literal stretch of English, where the translation differs."""
    catalog = trans_real.translation(translation.to_language(language))._catalog
    sentences = set()
    for msgid, msgstr in catalog.items():
        if isinstance(msgid, tuple) or not msgid or msgid == msgstr:
            continue
        pieces = [p.strip(" .,:;—–()“”\"'") for p in PLACEHOLDER.split(TAG.sub(" ", msgid))]
        longest = max(pieces, key=len)
        if len(longest.split()) >= MIN_WORDS and longest not in msgstr:
            sentences.add(longest)
    return sentences


def visible_text(content):
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", content, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(TAG.sub(" ", text)))


@pytest.mark.parametrize("language", ["es", "pt-br"])
def test_no_page_speaks_english_to_a_spanish_or_portuguese_speaker(client, world, language):
    sentences = english_sentences(language)
    for user in world.users.values():
        if user is not None:
            user.language = language
            user.save(update_fields=["language"])
    leaks = {}
    for page in GET_PAGES:
        with scopes_disabled():  # the page's own rows are set-up, like a fixture's
            url = reverse(page.url_name, kwargs=page.kwargs(world))
        user = world.users[main_role(page)]
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        if response.get("Content-Type", "").startswith("text/html"):
            text = visible_text(response.content.decode())
            found = sorted(s for s in sentences if s in text)
            if found:
                leaks[page.url_name] = found
    assert not leaks, "English left on pages for a {} speaker:\n{}".format(
        language, "\n".join(f"{name}: {found}" for name, found in sorted(leaks.items())))
