import pytest
from django.contrib import admin
from django.urls import reverse

from accelerator.tests.factories import StaffFactory

from .factories import build_plan

pytestmark = pytest.mark.django_db


def test_strategy_models_are_searchable_and_read_only_in_the_admin(client, world):
    build_plan(world.city)
    client.force_login(StaffFactory(is_superuser=True))
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "strategy":
            continue
        assert model_admin.search_fields and model_admin.list_filter
        url = reverse(f"admin:strategy_{model._meta.model_name}_changelist")
        assert client.get(url, {"q": "alpha"}).status_code == 200, url
        assert not model_admin.has_change_permission(None)
