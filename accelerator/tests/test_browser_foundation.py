import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from accelerator.tests.browser import assert_accessible, login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_axe_check_reports_a_real_violation(browser_page):
    browser_page.set_content("<html><body><main><img src='x.png'><input type='text'></main></body></html>")
    from accelerator.tests.browser import axe_violations

    assert any(v.startswith("image-alt") for v in axe_violations(browser_page))


def sign_in(page, email, password):
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


# Each account's home heading, and its page's language: Bogotá's chief data officer reads Spanish.
DEMO_HOMES = [
    ("staff@example.org", "Cohorts", "en"),
    ("coach@example.org", "My cities", "en"),
    ("mayor.tulsa@example.org", "My cities", "en"),  # Tulsa in 2024 and Tulsa again in the running cohort
    ("cdo.bogota@example.org", "Bogotá", "es"),
]


def test_demo_roles_sign_in_and_land_on_their_home(browser_context, settings):
    settings.DEBUG = True
    # Seeded here, not shared with test_demo: the live server reads over its own connection, so it
    # needs committed rows, which test_demo's rolled-back seeding never has.
    call_command("seed_demo")  # once for all four roles: loading the demo is the slow part
    for email, heading, language in DEMO_HOMES:
        page = browser_context.new_page()
        sign_in(page, email, "accelerator-demo")
        assert page.get_by_role("heading", level=1).inner_text().strip() == heading, email
        assert page.locator("html").get_attribute("lang") == language, email
        assert_accessible(page)
        with translation.override(language):
            sign_out = gettext("Sign out")
        page.get_by_role("button", name=sign_out).click()
        page.wait_for_url("**/")
        page.close()
    # Curitiba's mayor reads her home and her plan in Brazilian Portuguese, and switches to
    # Spanish and back from the menu.
    with translation.override("pt-br"):
        open_plan = gettext("Open the data strategy")
        plan_title, sign_out = gettext("Data strategy"), gettext("Sign out")
    page = browser_context.new_page()
    sign_in(page, "mayor.curitiba@example.org", "accelerator-demo")
    assert page.locator("html").get_attribute("lang") == "pt-br"
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Curitiba"
    assert open_plan in page.content()
    assert_accessible(page)
    page.goto("/cities/curitiba/strategy/")
    assert page.locator("html").get_attribute("lang") == "pt-br" and plan_title in page.content()
    assert_accessible(page)
    page.get_by_label("Idioma").select_option("es")
    page.get_by_role("button", name="Alterar").click()
    page.wait_for_url("**/cities/curitiba/strategy/")
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_label("Idioma").select_option("pt-br")
    page.get_by_role("button", name="Cambiar").click()
    page.wait_for_url("**/cities/curitiba/strategy/")
    assert page.locator("html").get_attribute("lang") == "pt-br"
    page.get_by_role("button", name=sign_out).click()
    page.close()


def test_staff_pages_are_accessible(browser_context, live_server, world):
    page = browser_context.new_page()
    login_as(browser_context, live_server.url, world.users["staff"])
    for path in ["/", "/cohorts/", f"/cohorts/{world.cohort.slug}/", "/cohorts/new/", "/people/", "/me/",
                 f"/cities/{world.city.slug}/", f"/cities/{world.city.slug}/team/", f"/cities/{world.city.slug}/edit/"]:
        page.goto(path)
        assert page.get_by_role("heading", level=1).count() == 1, path
        assert_accessible(page)


def test_member_uses_the_menu_on_a_phone(browser_context, live_server, world):
    page = browser_context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    login_as(browser_context, live_server.url, world.users["member"])
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == world.city.name
    profile_link = page.get_by_role("link", name=world.users["member"].full_name)
    assert not profile_link.is_visible()  # collapsed behind the menu button on a narrow screen
    page.get_by_role("button", name="Show menu").click()
    profile_link.click()
    page.wait_for_url("**/me/")
    page.goto("/")
    page.get_by_role("navigation", name=f"Sections of {world.city.name}").get_by_role("link", name="Team").click()
    page.wait_for_url(f"**/cities/{world.city.slug}/team/")
    assert_accessible(page)
    # Nothing of the other city is reachable.
    response = page.goto(f"/cities/{world.other_city.slug}/")
    assert response.status == 404
