"""Settings for the real worker in test_worker: the production settings, with unacknowledged
messages of a killed worker handed out again after two seconds instead of an hour, so a test can
watch the redelivery. Only test_worker uses this, on a Redis database of its own."""

from accelerator.settings import *  # the real settings plus one override

CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
