from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = _("Data strategy")

    def ready(self):
        from . import audit_kinds, message_kinds  # noqa: F401 (register this app's audit events and messages)
