import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from django_scopes import scopes_disabled

# The real-Celery-worker fixtures (celery_worker, smtp_server) for the tests marked `worker`.
pytest_plugins = ["accelerator.tests.celery_worker"]


@pytest.fixture(autouse=True)
def _test_defaults(settings):
    """Each test starts with an empty cache (rate limits live there).

    Scopes stay on: factories and fixtures build rows under `scopes_disabled()`, and a test that
    reads a city's rows opens `scope(city=...)` around the read, as the middleware does per
    request; so a query that forgets its city raises here too. Each test also starts in English
    and UTC: a request earlier in the same thread leaves its language active, as a worker's
    thread would between tasks."""
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()
    yield
    translation.deactivate()


ROLES = ["anonymous", "outsider", "member", "mayor", "other_coach", "coach", "staff"]


@pytest.fixture
def world(db):
    """Two cities in one cohort, each with a mayor, a team member and its own coach, plus staff.

    Access tests target city A; city B's people are the outsiders."""
    from types import SimpleNamespace

    from accelerator.tests.factories import CoachFactory, StaffFactory
    from cohorts.tests.factories import CityFactory, CoachAssignmentFactory, MayorFactory, MembershipFactory

    with scopes_disabled():  # set-up spans both cities
        city_a = CityFactory(name="Alpha City", slug="alpha")
        city_b = CityFactory(name="Beta City", slug="beta", cohort=city_a.cohort)
        coach_a, coach_b = CoachFactory(full_name="Coach Alpha"), CoachFactory(full_name="Coach Beta")
        CoachAssignmentFactory(city=city_a, coach=coach_a)
        CoachAssignmentFactory(city=city_b, coach=coach_b)
        mayor_a = MayorFactory(city=city_a).user
        member_a = MembershipFactory(city=city_a).user
        mayor_b = MayorFactory(city=city_b).user
        member_b = MembershipFactory(city=city_b).user
        staff = StaffFactory(full_name="Program Staff")
    return SimpleNamespace(
        cohort=city_a.cohort, city=city_a, other_city=city_b,
        users={
            "anonymous": None, "outsider": member_b, "member": member_a, "mayor": mayor_a,
            "other_coach": coach_b, "coach": coach_a, "staff": staff,
        },
        mayor_b=mayor_b,
    )


@pytest.fixture
def browser_context(live_server):
    """A fresh Chromium context against the live test server (phone-sized if asked).

    Every page runs under the real Content-Security-Policy; a violation on any page of this
    context, or of one from `browser_context.another_context()`, fails the test at teardown."""
    import os

    from accelerator.tests.browser import CHROMIUM_ARGS, chromium_or_skip, flush_console, watch_csp_violations

    executable = chromium_or_skip()
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        # The pages run under the real Content-Security-Policy (never bypass_csp): any violation
        # on any page of the context fails the test at teardown.
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(15000)
        context.csp_violations = watch_csp_violations(context)

        def another_context():
            """A second signed-in person's browser, watched for violations like the first."""
            other = browser.new_context(base_url=live_server.url)
            other.set_default_timeout(15000)
            watch_csp_violations(other, context.csp_violations)
            return other

        context.another_context = another_context
        try:
            yield context
            for each in browser.contexts:
                flush_console(each)
            assert not context.csp_violations, "Content-Security-Policy violations:\n" + "\n".join(
                context.csp_violations
            )
        finally:
            context.close()
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def browser_page(browser_context):
    return browser_context.new_page()


class _Outbox:
    """The outbox as tests see it: `deliver()` runs the sender (as the worker would) and returns
    the messages sent by that run; `rows()` are the queued rows."""

    def deliver(self, now=None):
        from django.core import mail

        from accelerator.outbox.services import outbox_deliver

        before = len(mail.outbox)
        outbox_deliver(now=now)
        return mail.outbox[before:]

    def rows(self, **filters):
        from accelerator.outbox.models import OutgoingMessage

        with scopes_disabled():
            return list(OutgoingMessage.objects.filter(**filters).order_by("pk"))


@pytest.fixture
def outbox(db):
    return _Outbox()


@pytest.fixture(scope="module")
def demo_seeded(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for a module of read-only tests and rolled back after it: use with
    `pytest.mark.usefixtures("demo_seeded")`."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(DEBUG=True):
                call_command("seed_demo")
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
