"""Every page of the access matrix runs a stated number of queries for the role that sees the
most on it. A new page cannot ship without its number: the dict must cover every GET page that
some role opens.

If a change moves a number on purpose, the failure message gives the new count to write here."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accelerator.tests.queries import assert_num_page_queries
from accelerator.tests.test_access_matrix import PAGES

# Who sees the most on a page, when several roles open it.
ROLE_PREFERENCE = ["staff", "coach", "mayor", "member", "other_coach", "outsider", "anonymous"]

EXPECTED_QUERIES = {
    "home": 3,  # staff
    "profile": 2,  # staff
    "healthz": 3,  # staff
    "city_audit": 5,  # staff, first view: the trail's count and latest event (its key), then the page; 4 after
    "city_audit_csv": 5,  # staff
    "cohorts:list": 3,  # staff
    "cohorts:create": 2,  # staff
    "dashboards:cohort": 8,  # staff
    "cohorts:edit": 3,  # staff
    "cohorts:copy": 4,  # staff
    "cohorts:city_create": 4,  # staff
    "cohorts:people": 4,  # staff
    "cohorts:export_cities": 5,  # staff: the cities with their coaches in one query, and the audit record
    "cohorts:export_people": 5,  # staff
    "cohorts:roster_import": 4,  # staff
    "cohorts:roster_template": 3,  # staff
    "cohorts:roster_preview": 4,  # staff
    "cohorts:roster_export": 7,  # staff
    "dashboards:city_home": 8,  # staff (1 of them: the set-up checklist; the lists come from the stored row)
    "cohorts:city_edit": 5,  # staff
    "cohorts:team": 4,  # staff: the team, the coaches and the open invitations in one query
    "cohorts:team_invite": 3,  # staff
    "cohorts:member_edit": 4,  # staff
    "cohorts:member_remove": 4,  # staff
    "agenda:export_attendance": 7,  # staff: cities, sessions, marks with the invitees not marked (no rows: no people)
    "agenda:sessions": 5,  # staff: with the version of the cohort's sessions its body is cached on
    "agenda:session_create": 4,  # staff
    "agenda:my_sessions": 6,  # staff: with the person's marks and the version of their sessions (cache key)
    "agenda:session": 9,  # staff: the first view; 4 once its details and invitees are kept
    "agenda:session_ics": 4,  # staff
    "agenda:session_edit": 5,  # staff
    "agenda:session_cancel": 4,  # staff
    "agenda:session_attendance": 7,  # staff, first view: a page of invitees, cities, marks, their version; 4 after
    "agenda:session_attendance_import": 5,  # staff
    "agenda:cohort_attendance_settings": 4,  # staff
    "agenda:calendar_feed": 5,  # staff: with the version of the sessions the body is cached on
    "agenda:session_feedback": 7,  # member
    "agenda:session_feedback_results": 7,  # staff
    "agenda:cohort_feedback": 6,  # staff
    "agenda:export_feedback": 5,  # staff
    "agenda:city_sessions": 6,  # staff, first view: versions of its sessions and marks, its team, then rates; 4 after
    "convening:desk": 7,  # staff
    "convening:board": 6,  # staff (7 once a city has a mayor)
    "convening:codes": 5,  # staff
    "convening:eligibility": 9,  # staff
    "coaching:log": 6,  # staff, first view: with the city's coaching version (cache key); 4 once kept
    "coaching:checkin_create": 8,  # staff
    "coaching:checkin_detail": 7,  # staff, first view: with the city's coaching version; 4 once kept
    "coaching:checkin_edit": 10,  # staff
    "coaching:action_item_status": 4,  # staff
    "coaching:decisions": 5,  # staff, first view: with the city's coaching version; 4 once kept
    "coaching:decision_create": 4,  # staff
    "coaching:decision_detail": 5,  # staff, first view: with the city's coaching version; 4 once kept
    "coaching:decision_decide": 4,  # mayor
    "coaching:showcases": 5,  # staff, first view: the showcases' stamp, then the list; 4 once kept
    "coaching:showcase_create": 3,  # staff
    "coaching:showcase_detail": 7,  # staff, first view: the showcase's stamp, then all of it; 4 once kept
    "coaching:showcase_edit": 6,  # staff
    "coaching:showcase_feedback": 6,  # staff
    "coaching:file_download": 4,  # staff
    "coaching:cohort_showcases": 5,  # staff, first view: the showcases' stamp, then a page; 4 once kept
    "coaching:cohort_settings": 4,  # staff
    "coaching:export_action_items": 5,  # staff
    "strategy:plan": 10,  # staff
    "strategy:print": 10,  # staff
    "strategy:export_docx": 10,  # staff
    "strategy:edition": 5,  # staff
    "strategy:edit": 6,  # mayor
    "strategy:add": 5,  # mayor
    "strategy:remove": 5,  # mayor
    "strategy:history": 4,  # staff
    "strategy:revision": 5,  # staff
    "strategy:review": 10,  # staff
    "strategy:comments": 4,  # staff
    "strategy:maturity": 4,  # mayor
    "strategy:export_actions": 6,  # staff
    "announcements:list": 4,  # staff
    "announcements:create": 5,  # staff
    "announcements:preview": 6,  # staff
    "announcements:edit": 7,  # staff
    "announcements:outbox": 5,  # staff
    "announcements:outbox_message": 4,  # staff
    "strategy:export_pdf": 10,  # staff
    "strategy:peers": 7,  # staff
    "strategy:public": 6,  # staff
    "strategy:public_pdf": 6,  # staff
    "strategy:public_index": 6,  # staff
    "dashboards:impact": 12,  # staff
    "dashboards:impact_pdf": 12,  # staff
    "dashboards:impact_csv": 12,  # staff
    "completion:cohort": 10,  # staff
    "completion:city": 9,  # staff
    "completion:certificate": 5,  # staff
    "completion:certificate_pdf": 5,  # staff
}


def _dashboard_rows_current(world):
    from cohorts.models import City
    from dashboards.read_model import rows_refresh

    rows_refresh(City.objects.values_list("pk", flat=True))


# Pages that read stored rows are counted as they are served once the rows are current (the
# refresh after each change and the sweep see to that); the recompute has its own test beside it.
PREPARE = {"dashboards:cohort": _dashboard_rows_current, "dashboards:city_home": _dashboard_rows_current}


def main_role(page):
    return next((role for role in ROLE_PREFERENCE if page.expected.get(role) == 200), None)


GET_PAGES = [page for page in PAGES if page.method == "get" and main_role(page)]


def test_every_get_page_has_a_pinned_query_count():
    assert {page.url_name for page in GET_PAGES} == set(EXPECTED_QUERIES)


@pytest.mark.parametrize("page", GET_PAGES, ids=[page.url_name for page in GET_PAGES])
def test_page_query_count(client, world, page):
    with scopes_disabled():  # the page's own rows are set-up, like a fixture's
        url = reverse(page.url_name, kwargs=page.kwargs(world))
        if page.url_name in PREPARE:
            PREPARE[page.url_name](world)
    user = world.users[main_role(page)]
    if user is not None:
        client.force_login(user)
    assert_num_page_queries(client, url, expected=EXPECTED_QUERIES.get(page.url_name, -1))
