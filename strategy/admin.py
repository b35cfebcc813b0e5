"""Strategy data in the admin, read-only: changes to a plan go through its pages, where they are
version-checked and kept in the history."""

from django.contrib import admin

from .models import (
    Action,
    Comment,
    CommentThread,
    Component,
    Draft,
    Goal,
    MaturityRating,
    Measure,
    PublishedEdition,
    Revision,
    Section,
    Strategy,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _register(model, display, filters, search):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), {
        "list_display": display, "list_filter": filters, "search_fields": search,
        "list_select_related": True,
    }))


_register(Strategy, ["city", "status", "edition", "completeness", "last_changed_at"], ["status", "city__cohort"],
          ["city__name"])
_register(Section, ["city", "key", "version", "updated_at"], ["key", "city"], ["city__name", "text"])
_register(Component, ["city", "kind", "current_level", "version"], ["kind", "current_level"],
          ["city__name", "current_state"])
_register(Goal, ["title", "city", "component", "version"], ["component__kind", "city"], ["title", "city__name"])
_register(Action, ["what", "city", "start_quarter", "end_quarter", "status"], ["status", "city"],
          ["what", "owner", "city__name"])
_register(Measure, ["name", "city", "target", "unit", "by_quarter"], ["city"], ["name", "city__name"])
_register(Revision, ["created_at", "city", "unit_kind", "unit_label", "kind", "version", "actor"],
          ["kind", "unit_kind", "city"],
          ["unit_label", "city__name", "actor__email"])
_register(Draft, ["city", "user", "unit_kind", "base_version", "saved_at"], ["unit_kind", "city"],
          ["city__name", "user__email"])
_register(PublishedEdition, ["city", "edition", "approved_by", "published_at"], ["city__cohort"], ["city__name"])
_register(MaturityRating, ["city", "component", "phase", "level", "rated_at"], ["component", "phase", "level"],
          ["city__name"])
_register(CommentThread, ["city", "part", "started_by", "created_at", "resolved_at"], ["part", "city"], ["city__name"])
_register(Comment, ["city", "thread", "author", "created_at"], ["city"], ["body", "city__name"])
