"""`manage.py deploy_check` names each problem plainly: a stopped Redis, a wrong mail password,
an open media folder; and passes when all is well."""

import io
import os
import secrets
import socket

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


class SMTPServer:
    """aiosmtpd on loopback that accepts only the login `app` / `right-password`."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"app" and \
                auth_data.password == b"right-password"
            return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd sends the 535

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(object(), hostname="127.0.0.1", port=self.port, authenticator=authenticator,
                                     auth_require_tls=False)


@pytest.fixture
def smtp():
    pytest.importorskip("aiosmtpd")
    server = SMTPServer()
    server.controller.start()
    try:
        yield server
    finally:
        server.controller.stop()


def redis_url_or_skip():
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/10"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as exc:
        pytest.skip(f"needs a running Redis for the all-well case ({exc.__class__.__name__})")
    return url


@pytest.fixture
def production(settings, tmp_path, smtp):
    """Settings that pass every check: the deploy-check settings of production, a local mail
    server with the right password, a private media folder."""
    media = tmp_path / "media"
    media.mkdir(mode=0o700)
    settings.DEBUG = False
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["accelerator.example.org"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "app", "right-password"
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.MEDIA_ROOT = str(media)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    return settings


def run():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("deploy_check", stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue(), err.getvalue() + str(exc)
    return True, out.getvalue(), err.getvalue()


def test_all_well_passes(production):
    production.REDIS_URL = redis_url_or_skip()
    ok, out, err = run()
    assert ok, err
    assert "All deploy checks passed" in out and not err


def test_a_stopped_redis_is_reported_clearly(production):
    ok, out, err = run()  # REDIS_URL points at 127.0.0.1:1, where nothing listens
    assert not ok
    assert "Broker: cannot reach Redis at redis://127.0.0.1:1/0" in err
    assert "ok       mail server" in out and "ok       media folder" in out
    assert "1 problem(s) found" in err


def test_a_wrong_mail_password_is_reported_clearly(production):
    production.REDIS_URL = redis_url_or_skip()
    production.EMAIL_HOST_PASSWORD = "wrong-password"
    ok, _out, err = run()
    assert not ok
    assert f"Mail: the server at 127.0.0.1:{production.EMAIL_PORT} refused the login for user 'app'" in err
    assert "wrong-password" not in err


def test_a_stopped_mail_server_and_an_open_media_folder_are_reported(production, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        production.EMAIL_PORT = probe.getsockname()[1]  # closed once the probe is
    os.chmod(production.MEDIA_ROOT, 0o755)
    ok, _out, err = run()
    assert not ok
    assert "Mail: cannot talk to the mail server at 127.0.0.1:" in err
    assert f"Media: MEDIA_ROOT {production.MEDIA_ROOT} is open to other users" in err
    production.MEDIA_ROOT = str(tmp_path / "missing")
    assert "does not exist" in run()[2]


def test_django_deploy_warnings_count(production):
    production.SECURE_SSL_REDIRECT = False
    ok, _out, err = run()
    assert not ok and "Django check security.W008" in err
