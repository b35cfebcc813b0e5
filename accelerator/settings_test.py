"""Settings for the test suite: the environment-driven settings plus a test secret and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key")

from .settings import *  # the test settings are the real settings plus overrides

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
# The two-factor tests turn these on one at a time; every other test signs in without one.
REQUIRE_STAFF_MFA = False
REQUIRE_COACH_MFA = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
MEDIA_ROOT = str(BASE_DIR / ".test-media")
# Tasks run inline in tests; the tests that need a real worker start one against REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = True
if REDIS_URL:
    CACHES["default"]["KEY_PREFIX"] = "accelerator-test"
