"""The Content-Security-Policy header: present on every page, enforcing unless report-only is chosen."""

import re
from pathlib import Path

import pytest

from accelerator.tests.test_settings import manage

REQUIRED = ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
            "form-action 'self'", "base-uri 'self'", "object-src 'none'"]


def directives(header):
    return [part.strip() for part in header.split(";")]


@pytest.mark.django_db
def test_login_page_and_a_signed_in_page_carry_the_policy(client, world):
    pages = [client.get("/accounts/login/")]
    client.force_login(world.users["member"])
    pages.append(client.get("/", follow=True))
    pages.append(client.get(f"/cities/{world.city.slug}/"))
    for response in pages:
        assert response.status_code == 200
        policy = directives(response.headers["Content-Security-Policy"])
        for directive in REQUIRED:
            assert directive in policy, (response.wsgi_request.path, policy)
        assert not any("unsafe-inline" in d or "unsafe-eval" in d for d in policy)
        assert "Content-Security-Policy-Report-Only" not in response.headers


@pytest.mark.django_db
def test_report_only_mode_sends_the_same_policy_as_report_only(client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    response = client.get("/accounts/login/")
    assert "Content-Security-Policy" not in response.headers
    policy = directives(response.headers["Content-Security-Policy-Report-Only"])
    for directive in REQUIRED:
        assert directive in policy


def test_the_environment_switches_the_policy_to_report_only():
    show = ("from django.conf import settings; "
            "print(settings.CONTENT_SECURITY_POLICY is None, "
            "(settings.CONTENT_SECURITY_POLICY_REPORT_ONLY or {}).get('DIRECTIVES', {}).get('frame-ancestors'))")
    enforcing = manage("shell", "-c", show, DEBUG="1")
    report_only = manage("shell", "-c", show, DEBUG="1", CSP_REPORT_ONLY="1")
    assert enforcing.returncode == 0 and report_only.returncode == 0, enforcing.stderr + report_only.stderr
    assert enforcing.stdout.split()[-2:] == ["False", "None"]
    assert report_only.stdout.split()[-2:] == ["True", "[\"'none'\"]"]


INLINE = re.compile(r"""\sstyle\s*=|<style[\s>]|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=\s*["']""", re.IGNORECASE)


def test_no_template_carries_inline_script_or_style():
    """The pages not driven by a browser test are held to the policy too: no template has a
    style= attribute, a <style> block, an inline <script> or an on…= handler."""
    root = Path(__file__).resolve().parents[2]
    found = [
        f"{path.relative_to(root)}:{number}: {line.strip()[:120]}"
        for path in sorted(root.glob("**/templates/**/*.html")) if ".venv" not in path.parts
        and "emails" not in path.parts  # mail clients, not browsers under our policy
        for number, line in enumerate(path.read_text().splitlines(), 1) if INLINE.search(line)
    ]
    assert not found, "\n".join(found)


def test_the_check_in_qr_code_has_no_style_attribute():
    from convening.qr import qr_svg

    svg = qr_svg("ABCD-1234", label="QR")
    assert 'class="qr-code"' in svg and not INLINE.search(svg)
