"""Permissions are the rules predicates, and only those: every declared permission is checked
somewhere, and templates ask permissions instead of testing someone's role."""

import os
import re
from pathlib import Path

import rules
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRS = {".venv", ".git", "__pycache__", "node_modules", "tests", "staticfiles", "migrations"}
QUOTED_NAME = re.compile(r"""["']([a-z_]+\.[a-z_]+)["']""")
DECLARED = re.compile(r"""add_perm\(\s*["']([a-z_]+\.[a-z_]+)["']""")


def source_files(suffixes=(".py", ".html")):
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(".")]
        for name in files:
            if name.endswith(suffixes) and not name.startswith("test_") and name != "conftest.py":
                yield Path(folder) / name


def project_app_labels():
    labels = set()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(ROOT) and ".venv" not in path.relative_to(ROOT).parts:
            labels.add(config.label)
    return labels


def test_every_declared_permission_is_checked_outside_its_rules_file():
    labels = project_app_labels()
    registered = {name for name in rules.permissions.permissions if name.split(".")[0] in labels}
    assert registered, "no permissions registered: are the rules.py modules autodiscovered?"

    declared_in, used_in = {}, {}
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        if path.name == "rules.py":
            for name in DECLARED.findall(text):
                declared_in[name] = path
        for name in QUOTED_NAME.findall(text):
            used_in.setdefault(name, set()).add(path)

    assert registered <= set(declared_in), (
        f"registered but not declared by add_perm in a rules.py: {registered - set(declared_in)}"
    )
    unchecked = sorted(name for name in registered if not used_in.get(name, set()) - {declared_in[name]})
    assert not unchecked, (
        f"permissions that no view, has_perm call or template checks: {unchecked}. "
        "Check each where the behaviour it names happens, or delete it."
    )


# Template tags that test a role rather than ask a permission. Each remaining one says why it is
# not a permission decision; an entry that no longer matches anything must be removed.
TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.DOTALL)
ROLE_TEST = re.compile(r"[\w.]*\b(?:is_staff|is_coach|is_mayor|is_member)\b")
ALLOWED = {
    ("dashboards/_next_actions.html", "city_access.is_member"):
        "only the heading's wording: the city's own people read 'what to do next', coaches and staff read "
        "'what the city has to do next'",
}


def role_tests(text):
    """(tag, expression) for every role attribute used inside a template tag of `text`."""
    return [(tag, match.group(0)) for tag, arguments in TAG.findall(text) for match in ROLE_TEST.finditer(arguments)]


def test_role_tests_are_found_in_any_tag():
    sample = ('{% if user.is_staff %}<a href="/admin/">Admin</a>{% elif city_access.is_coach %}x{% endif %}'
              '{% with staff=user.is_staff %}{{ user.is_staff }}{% endwith %}')
    assert role_tests(sample) == [("if", "user.is_staff"), ("elif", "city_access.is_coach"), ("with", "user.is_staff")]


def test_templates_ask_permissions_rather_than_test_roles():
    templates = ROOT / "templates"
    found = {
        (path.relative_to(templates).as_posix(), tag, expression)
        for path in source_files(suffixes=(".html", ".txt")) if path.is_relative_to(templates)
        for tag, expression in role_tests(path.read_text(encoding="utf-8"))
    }
    decisions = sorted(entry for entry in found if (entry[0], entry[2]) not in ALLOWED)
    assert not decisions, (
        f"templates testing a role in a tag: {decisions}. Ask the permission instead "
        "({% load rules %}{% has_perm 'app.perm' user obj as can_x %}), or allow-list a display use with its reason."
    )
    stale = set(ALLOWED) - {(template, expression) for template, _tag, expression in found}
    assert not stale, f"allow-listed uses that no longer exist: {sorted(stale)}"
