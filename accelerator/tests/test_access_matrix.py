import importlib

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scope, scopes_disabled

from accelerator.tests.access import Page

# URL namespaces owned by third-party apps; their own pages are covered by their projects, and
# the admin's staff-only gate is tested in test_admin.
EXTERNAL_NAMESPACES = {"admin"}
EXTERNAL_MODULE_PREFIXES = ("allauth.",)


def all_pages():
    pages = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.tests.pages")
        except ModuleNotFoundError:
            continue
        pages.extend(module.PAGES)
    return pages


def project_url_names(patterns=None, namespace=None):
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXTERNAL_NAMESPACES:
                continue
            module = getattr(pattern.urlconf_module, "__name__", "")
            if module.startswith(EXTERNAL_MODULE_PREFIXES):
                continue
            ns = pattern.namespace or namespace
            names |= project_url_names(pattern.url_patterns,
                                       f"{namespace}:{ns}" if namespace and pattern.namespace else ns)
        elif isinstance(pattern, URLPattern):
            if pattern.callback.__module__.startswith(EXTERNAL_MODULE_PREFIXES):
                continue
            assert pattern.name, f"URL pattern {pattern.pattern} has no name, so the access matrix cannot cover it"
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


PAGES = all_pages()


def test_every_project_url_is_in_the_access_matrix():
    covered = {page.url_name for page in PAGES}
    missing = project_url_names() - covered
    assert not missing, f"URLs without an access-matrix entry: {sorted(missing)}"


def test_every_matrix_entry_names_every_role():
    from conftest import ROLES

    for page in PAGES:
        assert set(page.expected) == set(ROLES), page.url_name


CASES = [(page, role) for page in PAGES for role in sorted(page.expected)]


@pytest.mark.parametrize("page,role", CASES, ids=[f"{p.url_name}-{r}" for p, r in CASES])
def test_access(client, world, page: Page, role):
    with scopes_disabled():  # the page's own rows are set-up, like a fixture's
        url, data = reverse(page.url_name, kwargs=page.kwargs(world)), page.data(world)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    response = getattr(client, page.method)(url, data)
    assert response.status_code == page.expected[role], (
        f"{role} on {page.url_name} ({url}): {response.status_code}, expected {page.expected[role]}"
    )


# People whose relation to city A ended: a coach who is no longer a coach (their assignment is
# still on file) and a team member who left. Wherever an outsider gets "no such page", so do
# they: the one visibility rule decides every page alike.
LEAK_PAGES = [page for page in PAGES if page.expected["outsider"] == 404]
FORMER = ["former_coach", "former_member"]


def end_relation(world, who):
    if who == "former_coach":
        coach = world.users["coach"]
        coach.is_coach = False
        coach.save(update_fields=["is_coach"])
        return coach
    from cohorts.services.teams import membership_remove

    member = world.users["member"]
    with scope(city=world.city):
        membership_remove(membership=world.city.memberships.get(user=member), actor=world.users["staff"])
    return member


FORMER_CASES = [(page, who) for page in LEAK_PAGES for who in FORMER]


@pytest.mark.parametrize("page,who", FORMER_CASES, ids=[f"{p.url_name}-{w}" for p, w in FORMER_CASES])
def test_a_relation_that_ended_answers_like_no_relation(client, world, page: Page, who):
    with scopes_disabled():  # the page's own rows are set-up, like a fixture's
        url, data = reverse(page.url_name, kwargs=page.kwargs(world)), page.data(world)
    client.force_login(end_relation(world, who))
    response = getattr(client, page.method)(url, data)
    assert response.status_code == 404, f"{who} on {page.url_name} ({url}): {response.status_code}, expected 404"
