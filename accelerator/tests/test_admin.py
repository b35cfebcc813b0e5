import pytest
from django.contrib import admin
from django.urls import reverse

from accelerator.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

OUR_APPS = {"accelerator", "cohorts", "agenda", "coaching", "strategy", "convening", "announcements", "completion"}


def our_models():
    return [m for m in admin.site._registry if m._meta.app_label in OUR_APPS]


def test_every_model_of_ours_is_in_the_admin():
    from django.apps import apps

    registered = set(admin.site._registry)
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            assert model in registered, f"{model._meta.label} is not in the admin"


def test_staff_can_search_and_filter_every_model(client, world):
    admin_user = StaffFactory(is_superuser=True)
    client.force_login(admin_user)
    for model in our_models():
        model_admin = admin.site._registry[model]
        assert model_admin.search_fields, f"{model._meta.label} has no search"
        assert model_admin.list_filter, f"{model._meta.label} has no filters"
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url, {"q": "alpha"}).status_code == 200, url


def test_non_staff_cannot_enter_the_admin(client, world):
    for role in ["member", "mayor", "coach"]:
        client.force_login(world.users[role])
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


ADMIN_LINK = 'href="/admin/"'


def test_program_staff_who_are_not_superusers_get_no_admin_link_and_no_admin(client, world):
    staff = world.users["staff"]
    assert staff.is_staff and not staff.is_superuser
    client.force_login(staff)
    assert ADMIN_LINK not in client.get(reverse("home")).content.decode()
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_superuser_gets_the_admin_link_and_an_admin_that_lists_our_models(client, world):
    client.force_login(StaffFactory(is_superuser=True))
    assert ADMIN_LINK in client.get(reverse("home")).content.decode()
    page = client.get("/admin/").content.decode()
    assert "have permission to view or edit anything" not in page
    assert reverse("admin:cohorts_city_changelist") in page
