"""The cohort page's heading and downloads list, rendered once and reused.

They show the cohort's name, dates and status, the links the viewer may follow and the list of
exports, the same for everyone with the same rights: rendered once per language, address
configuration, cohort state and rights (`accelerator.caching.rendered_once`, whose key is all of
that, so no copy is ever out of date) instead of reversing a dozen addresses on every request."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from accelerator.caching import rendered_once


@dataclass(frozen=True)
class CohortParts:
    header: str
    downloads: str
    can_manage: bool


def cohort_parts(cohort, user):
    """The heading (name, dates, status, the links and buttons `user` may follow) and the downloads
    list of `cohort`'s page."""
    can_manage = user.has_perm("cohorts.manage_cohorts", cohort)
    rights = {
        "can_manage": can_manage,
        # Asked only of those who manage the cohort, as the button sits among theirs.
        "can_announce": can_manage and user.has_perm("announcements.manage_announcements"),
        "can_see_impact": user.has_perm("dashboards.view_impact", cohort),
    }
    shown = (get_language(), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), cohort.slug,
             cohort.name, cohort.start_date, cohort.end_date, cohort.status)
    context = {"cohort": cohort, **rights}

    def part(template):
        key = ("cohort page", template, *shown, *sorted(rights.items()))
        return mark_safe(rendered_once(key, lambda: render_to_string(template, context)))

    return CohortParts(part("dashboards/_cohort_header.html"), part("dashboards/_cohort_downloads.html"), can_manage)
