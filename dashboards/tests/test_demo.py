import pytest
from django.core.management import call_command
from django.urls import reverse

from accelerator.models import User
from cohorts.models import Cohort

pytestmark = pytest.mark.django_db


def test_the_demo_makes_every_dashboard_widget_meaningful(client, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    client.force_login(User.objects.get(email="staff@example.org"))
    current = Cohort.objects.exclude(slug="2024").get()
    dashboard = client.get(reverse("dashboards:cohort", kwargs={"cohort_slug": current.slug})).context["dashboard"]
    reasons = " ".join(r for row in dashboard.rows for r in row.reasons)
    for kind in ("Check-in overdue", "mayor decision overdue", "waited for feedback", "Absence warning"):
        assert kind in reasons
    assert any(not row.needs_attention for row in dashboard.rows)
    assert len({row.strategy.status for row in dashboard.rows if row.strategy}) >= 4
    assert [s for s in dashboard.charts["attendance"]["table"] if s["rate"]]
    assert all(m["cities"] for m in dashboard.charts["maturity"]["table"])

    old = client.get(reverse("dashboards:cohort", kwargs={"cohort_slug": "2024"})).context["dashboard"]
    assert any("Eligibility pending review" in r for row in old.rows for r in row.reasons)
    assert all(m["cities"] == len(old.rows) for m in old.charts["maturity"]["table"])

    client.force_login(User.objects.get(email="cdo.curitiba@example.org"))
    home = client.get(reverse("dashboards:city_home", kwargs={"city_slug": "curitiba"}))
    assert home.context["next_actions"] and home.context["upcoming"]
