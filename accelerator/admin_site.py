"""The admin is for superusers only, and the main menu links to it only for them.

Program staff do their work on the app's own pages (cohorts, cities, teams, sessions, the
outbox); an admin that let them in only to say "You don't have permission to view or edit
anything" was a dead end. `accelerator.rules.may_use_admin` is the one answer both use."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class AcceleratorAdminSite(admin.AdminSite):
    def has_permission(self, request):
        from .rules import may_use_admin

        return may_use_admin(request.user)


class AcceleratorAdminConfig(AdminConfig):
    default_site = "accelerator.admin_site.AcceleratorAdminSite"
