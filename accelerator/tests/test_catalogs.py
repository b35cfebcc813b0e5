"""The Spanish and Brazilian Portuguese catalogs are complete and compiled: every string the code
and templates hold has a checked translation, and the committed .mo files are the .po files
compiled. A new string without a translation, a fuzzy entry or a broken placeholder fails here."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

LOCALES = ["es", "pt_BR"]
ROOT = Path(settings.BASE_DIR)

needs_gettext = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")


def statistics(po):
    # --check-format refuses a translation whose %(name)s placeholders differ from the original's.
    result = subprocess.run(["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(po)],
                            capture_output=True, text=True)
    return result.returncode, result.stderr.strip()


@needs_gettext
@pytest.mark.parametrize("locale", LOCALES)
def test_the_committed_catalog_is_complete_and_compiled(locale, tmp_path):
    po = ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"
    code, stats = statistics(po)
    assert code == 0 and "fuzzy" not in stats and "untranslated" not in stats, f"{po}: {stats}"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(po)], check=True)
    assert compiled.read_bytes() == (po.parent / "django.mo").read_bytes(), (
        f"{po.parent / 'django.mo'} is out of date: run `manage.py compilemessages`"
    )


@needs_gettext
def test_every_string_of_the_code_has_a_translation(settings, tmp_path, monkeypatch):
    """What `makemessages` finds today, merged into copies of the catalogs, is all translated."""
    # makemessages writes each file's strings to the locale folder beside it: a tree of links to
    # the sources around a copy of the catalogs keeps the real ones untouched.
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    for entry in ROOT.iterdir():
        if entry.is_dir() and entry.name != "locale" and not entry.name.startswith("."):
            (tmp_path / entry.name).symlink_to(entry)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=LOCALES, no_obsolete=True, symlinks=True, verbosity=0)
    for locale in LOCALES:
        code, stats = statistics(tmp_path / "locale" / locale / "LC_MESSAGES" / "django.po")
        assert code == 0 and "fuzzy" not in stats and "untranslated" not in stats, (
            f"{locale}: {stats} — run `manage.py makemessages -l es -l pt_BR` and translate the new entries"
        )
