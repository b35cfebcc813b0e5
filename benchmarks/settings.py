"""Settings for `make bench` and `make load`: the test settings (fast hashing, inline tasks, mail
kept in memory) plus the benchmark's URLs, which add the floor page to the project's own."""

from accelerator.settings_test import *  # noqa: F403 -- the real stack with the test-only conveniences

ROOT_URLCONF = "benchmarks.urls"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
