from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Read models that gather several apps' data for one page: the cohort dashboard and the
    city home's "what to do next". Owns no tables."""

    name = "dashboards"
    verbose_name = _("Dashboards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import audit_kinds  # noqa: F401 (registers this app's audit events)
