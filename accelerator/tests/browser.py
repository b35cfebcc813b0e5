"""Browser-test support: Debian's Chromium driven by Playwright, plus an axe-core check.

Use the `browser_page` fixture (from the root conftest) and mark tests `@pytest.mark.browser`.
Without /usr/bin/chromium the tests skip with the reason, unless REQUIRE_BROWSER_TESTS is set
(as CI does), in which case they fail."""

import contextlib
import os
import shutil

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
BLOCKING_IMPACTS = {"serious", "critical"}


def chromium_or_skip():
    if os.path.exists(CHROMIUM) or shutil.which(CHROMIUM):
        return CHROMIUM
    reason = f"Chromium not found at {CHROMIUM} (install Debian's 'chromium' package)"
    if os.environ.get("REQUIRE_BROWSER_TESTS"):
        pytest.fail(reason)
    pytest.skip(reason)


def login_as(context, live_server_url, user):
    """Give the browser context a signed-in session for `user` without typing a password."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server_url}])


def axe_violations(page, impacts=BLOCKING_IMPACTS):
    """axe-core violations on the page, as readable strings: serious and critical ones unless
    `impacts` is None, which means every violation, minor ones included."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if impacts is None or v.get("impact") in impacts
    ]


# Overflow checks for a page at the current viewport: the page itself never scrolls sideways,
# and a row of navigation that does (a phone's city tabs) carries the visible scroll cue.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    const wide = [...document.querySelectorAll("body *")].filter(e => {
      const box = e.getBoundingClientRect();
      return box.right > root.clientWidth + 1 && !e.closest(".table-responsive, .scroll-cue");
    }).slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""));
    problems.push("page is " + root.scrollWidth + "px wide for " + root.clientWidth + "px: " + wide.join(", "));
  }
  for (const list of document.querySelectorAll("nav ul, nav ol")) {
    if (list.offsetParent && list.scrollWidth > list.clientWidth + 1 && !list.classList.contains("scroll-cue")) {
      problems.push("navigation cut off with no scroll cue: " + list.className);
    }
  }
  return problems;
}"""


def layout_problems(page):
    return page.evaluate(LAYOUT_PROBLEMS)


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, f"{page.url}:\n" + "\n".join(violations)


# Reported by the page itself the moment the browser refuses something under the policy; the
# browser's own "Refused to …" console line is caught too, whichever arrives.
CSP_VIOLATION_LISTENER = """
window.addEventListener("securitypolicyviolation", function (event) {
  console.error("Content Security Policy violation: " + event.effectiveDirective + " refused "
    + (event.blockedURI || "inline") + " at " + event.sourceFile + ":" + event.lineNumber
    + (event.sample ? " (" + event.sample + ")" : ""));
});
"""
CSP_CONSOLE_MARKERS = ("Content Security Policy", "Content-Security-Policy", "Refused to")


def watch_csp_violations(context, violations=None):
    """Collect every Content-Security-Policy violation on any page of `context`, with its URL.

    Returns the list the violations are appended to (`violations` if given, so several contexts
    can share one); the root conftest asserts it is empty when the test ends."""
    violations = [] if violations is None else violations

    def watch(page):
        def on_console(message):
            if any(marker in message.text for marker in CSP_CONSOLE_MARKERS):
                violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)

    context.add_init_script(CSP_VIOLATION_LISTENER)
    context.on("page", watch)
    return violations


def flush_console(context):
    """Let console messages already sent by each open page reach the listeners (one round trip)."""
    for page in context.pages:
        if not page.is_closed():
            with contextlib.suppress(Exception):  # a page mid-navigation or crashed says no more
                page.evaluate("0")
