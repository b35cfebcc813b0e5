import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY",
                                                              "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True,
        timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="accelerator.example.org",
        DATABASE_URL="postgres://app:secret@127.0.0.1:5432/accelerator", REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_with_debug_off_is_a_clear_message():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_database_url_is_a_clear_message_without_traceback():
    for url in ["postgres//no-colon", "mongodb://db/x", "postgres://u:p@host:port/db"]:
        result = manage("check", DEBUG="1", DATABASE_URL=url)
        assert result.returncode != 0, url
        assert "DATABASE_URL" in result.stderr, url
        assert "Traceback" not in result.stderr, url
        assert ":p@" not in result.stderr  # never echo a password back


def test_no_environment_at_all_is_a_development_machine():
    result = manage("shell", "-c",
                    "from django.conf import settings; print(settings.DEBUG, settings.DATABASES['default']['ENGINE'])")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["True", "django.db.backends.sqlite3"]


def test_setting_a_secret_key_turns_debug_off():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)",
                    SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "False"
