"""Settings, read from the environment in one place.

With nothing set the app runs on SQLite with Celery in eager mode, so a fresh checkout works.
Production sets DEBUG off, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL and EMAIL_URL.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# With no environment at all this is a developer's machine: DEBUG on, SQLite, inline tasks.
# A deployment sets SECRET_KEY, and that alone turns DEBUG off unless DEBUG says otherwise.
DEBUG = env.bool("DEBUG", default=not env.str("SECRET_KEY", default=""))

_DEV_SECRET_KEY = "dev-only-insecure-key-never-used-when-debug-is-off"
# A development key is tolerated only while DEBUG is on, so a forgotten variable can never
# sign production sessions with a public key.
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # The admin is for superusers only (see accelerator/admin_site.py).
    "accelerator.admin_site.AcceleratorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "django_scopes",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accelerator",
    "cohorts",
    "agenda",
    "convening",
    "coaching",
    "strategy",
    "announcements",
    "completion",
    "dashboards",
]

MIDDLEWARE = [
    # First, so its one line per request times everything and sees the final status.
    "accelerator.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "accelerator.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accelerator.middleware.UserPreferencesMiddleware",
    "accelerator.middleware.TwoFactorRequiredMiddleware",
    "cohorts.tenancy.CityScopeMiddleware",
]

ROOT_URLCONF = "accelerator.urls"
WSGI_APPLICATION = "accelerator.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
            ],
        },
    },
]


def _database():
    url = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in environ.Env.DB_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with a database scheme such as postgres:// or sqlite:///, "
            f"not {scheme + '://' if scheme else repr(url[:20])}."
        )
    try:
        config = environ.Env.db_url_config(url)
    except Exception as exc:  # django-environ raises several types for a bad URL
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a valid database URL ({exc}). "
            "Examples: postgres://user:password@127.0.0.1:5432/accelerator or sqlite:///db.sqlite3"
        ) from exc
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL is not a valid database URL: it names no database engine or database."
        )
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if not DEBUG else 0)
    config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": _database()}
# The statements every page runs are prepared once per connection on PostgreSQL (see
# accelerator/prepared.py); off behind a pooler that hands a session's statements to another.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is both the Celery broker and the cache; without it tasks run inline and the cache is
# per-process, which is all a single-process demo needs.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "accelerator",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# A worker that dies mid-task leaves the message to be redelivered; tasks are idempotent.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Time limits and the broker's visibility timeout belong together. Redis hands an unacknowledged
# message (acks_late) to another worker once the visibility timeout passes, so a task still
# running then would run twice at once. Every task is therefore stopped well before it: the soft
# limit raises SoftTimeLimitExceeded inside the task (its transaction rolls back, nothing is
# half-sent), the hard limit kills the worker process. A reminder redelivered after its moment is
# then dropped at send time (agenda.services.reminders.send_deadline).
CELERY_BROKER_VISIBILITY_TIMEOUT = 3600
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="accelerator")
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    # The outbox: every message is queued after its transaction commits; this is the safety net.
    "outbox-deliver": {"task": "outbox.deliver", "schedule": 60.0},
    # Daily digests, sent once it is DIGEST_HOUR in each person's time zone.
    "outbox-digests": {"task": "outbox.digests", "schedule": 900.0},
    # Absence streaks: derived from the attendance ledger, one warning per streak.
    "agenda-sweep-absences": {"task": "agenda.sweep_absences", "schedule": 900.0},
    # Feedback requests the day after each session: derived from the attendance ledger, once each.
    "agenda-sweep-feedback": {"task": "agenda.sweep_feedback", "schedule": 900.0},
    # The convening's reminders, missed segments and eligibility reviews: derived from the database.
    "convening-enforce": {"task": "convening.enforce", "schedule": 180.0},
    # Overdue mayor decisions and action items, showcase follow-ups: derived from the database.
    "coaching-reminders": {"task": "coaching.sweep_reminders", "schedule": 300.0},
    # The cohort dashboard's stored rows: each change queues its own refresh; this sweep catches a
    # lost message and what changes with the clock alone, before a row is MAX_AGE (5 min) old.
    "dashboards-sweep-rows": {"task": "dashboards.sweep_rows", "schedule": 120.0},
    # Session reminders and change notices: derived from the database, so a late or doubled
    # sweep does no harm.
    "agenda-sweep-reminders": {
        "task": "agenda.sweep_reminders",
        "schedule": env.int("REMINDER_SWEEP_SECONDS", default=300),
    },
}
# After this many missed sessions in a row, the person's coach and program staff are warned.
ABSENCE_WARNING_STREAK = env.int("ABSENCE_WARNING_STREAK", default=2)
# How long before a session its invitees are reminded (default 7 days, 1 day and 1 hour).
REMINDER_OFFSETS = [
    timedelta(minutes=minutes)
    for minutes in env.list("REMINDER_OFFSET_MINUTES", cast=int, default=[7 * 24 * 60, 24 * 60, 60])
]

AUTH_USER_MODEL = "accelerator.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the login, every address is verified, nobody signs up on their own.
ACCOUNT_ADAPTER = "accelerator.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Accelerator] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/300s/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Accelerator"
# Program staff see every city, so their accounts must carry a second factor in production.
REQUIRE_STAFF_MFA = env.bool("REQUIRE_STAFF_MFA", default=not DEBUG)
# Coaches read private coaching notes across several cities: the same rule. The demo runs with
# DEBUG on, so its shared coach accounts sign in without one.
REQUIRE_COACH_MFA = env.bool("REQUIRE_COACH_MFA", default=not DEBUG)

INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

LANGUAGE_CODE = "en"
# Each language is named in itself, so the switcher reads right whatever the page's language.
# Spanish is Latin American usage; Portuguese is Brazilian (its catalog is locale/pt_BR).
LANGUAGES = [("en", "English"), ("es", "Español"), ("pt-br", "Português (Brasil)")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# A visitor's chosen language is remembered for a year (signed-in people keep theirs in the profile).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads live outside the web root and are served only through views that check city access.
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / "private-media"))
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

try:
    _email = env.email_url("EMAIL_URL", default="consolemail://")
except Exception as exc:
    raise ImproperlyConfigured(f"EMAIL_URL is not a valid email URL ({exc}).") from exc
vars().update(_email)
# Every subject starts with the project's name (the outbox adds it; allauth's mail too).
EMAIL_SUBJECT_PREFIX = ACCOUNT_EMAIL_SUBJECT_PREFIX
# The outbox (accelerator/outbox): batch size, retries of transient failures, and how long a
# claimed batch belongs to its worker. The claim outlives the task's hard time limit, so a
# batch is only taken over from a worker that is certainly gone.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=100)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_RETRY_SECONDS = env.int("OUTBOX_RETRY_SECONDS", default=60)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=3600)
OUTBOX_CLAIM_SECONDS = env.int("OUTBOX_CLAIM_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60)
# The local hour after which a person who chose the daily digest receives it.
DIGEST_HOUR = env.int("DIGEST_HOUR", default=8)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Accelerator <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# How many proxies we run in front of the app, each appending to X-Forwarded-For. Without it,
# behind a proxy every visitor shares the proxy's address, and one attacker's failed logins lock
# everyone out; counting too many would let a client choose its own address by sending the
# header. 0 trusts no header and uses the connecting address (accelerator/client_ip.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

# Behind a TLS-terminating proxy; each can be turned off for a plain-HTTP local run.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp). Every script and stylesheet is a file served from our own
# origin (Bootstrap from django-bootstrap-static, the rest from static/), so nothing inline is
# allowed: an injected <script>, onclick= or style= is refused by the browser even if it ever got
# past template escaping.
_CSP_DIRECTIVES = {
    "default-src": [SELF],
    # No 'unsafe-inline' and no nonces: templates carry no inline script or style at all.
    "script-src": [SELF],
    "style-src": [SELF],
    # data: only for images: Bootstrap's CSS draws its icons (menu toggler, select arrow, check
    # marks) as data: SVGs, and allauth shows the TOTP set-up QR code as a data: image.
    "img-src": [SELF, "data:"],
    # Nothing may frame a page (clickjacking; X-Frame-Options DENY says the same to old browsers).
    "frame-ancestors": [NONE],
    # Forms post only back to this site, so injected markup cannot send a form elsewhere.
    "form-action": [SELF],
    # An injected <base> could redirect every relative link and script to another host.
    "base-uri": [SELF],
    # No plugins (Flash, Java applets) have any place here.
    "object-src": [NONE],
}
# Report-only lets a deployment watch for violations in the browser console before enforcing,
# e.g. after adding a page; the policy is the same either way. (Not a CSP_* setting name:
# django-csp 4 refuses to start when it sees one of its old 3.x settings such as CSP_REPORT_ONLY.)
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])
if not SECURE_HSTS_PRELOAD:
    # Preloading is a one-way commitment a deployment opts into; not choosing it is deliberate.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Logs: JSON lines (one object per record, with the request id) in production, readable text in
# development. LOG_FORMAT=plain|json chooses; accelerator/logs.py has the formatters.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "accelerator.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "accelerator.logs.JSONFormatter"},
        "plain": {"()": "accelerator.logs.PlainFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Our own line per request replaces Django's, which names the path (tokens, codes).
        "django.server": {"handlers": [], "propagate": False},
    },
}

# Error reporting, only when SENTRY_DSN is set. Personal data stays out (no cookies, headers,
# user emails or IP addresses), and a DSN that does not parse never stops the app: it is logged
# and the app runs without reporting.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENABLED = False
if SENTRY_DSN:
    try:
        import sentry_sdk
        from sentry_sdk.integrations.celery import CeleryIntegration
        from sentry_sdk.integrations.django import DjangoIntegration

        sentry_sdk.init(
            dsn=SENTRY_DSN,
            integrations=[DjangoIntegration(), CeleryIntegration()],
            send_default_pii=False,
            environment=env.str("SENTRY_ENVIRONMENT", default="production"),
            traces_sample_rate=0.0,
        )
        SENTRY_ENABLED = True
    except Exception as exc:  # a wrong DSN, or sentry-sdk not installed
        import logging

        logging.getLogger("accelerator.settings").warning(
            "SENTRY_DSN is set but error reporting could not start (%s); running without it.", exc
        )
