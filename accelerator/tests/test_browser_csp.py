"""The browser really enforces the policy, and the fixtures catch a violation when one happens."""

import pytest

from accelerator.tests.browser import assert_accessible, flush_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inline_script_or_style_is_refused_and_reported(browser_context):
    page = browser_context.new_page()
    page.goto("/accounts/login/")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.inlineScriptRan = true;";
        document.body.appendChild(script);
        document.body.setAttribute("style", "background: red");
    }""")
    assert page.evaluate("window.inlineScriptRan") is None  # refused by the policy
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
    flush_console(browser_context)
    caught = list(browser_context.csp_violations)
    assert any("script-src" in v and "/accounts/login/" in v for v in caught), caught
    assert any("style-src" in v for v in caught), caught
    browser_context.csp_violations.clear()  # expected here; any other would fail at teardown


def test_axe_and_bootstrap_work_under_the_policy(browser_context):
    page = browser_context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    assert page.evaluate("typeof window.bootstrap") == "object"  # loaded from our own origin
    assert_accessible(page)  # axe is evaluated over DevTools, which the policy does not govern
