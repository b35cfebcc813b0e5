"""The access matrix: every URL of the project, who may open it, and what they get.

Each app lists its pages in `<app>/tests/pages.py` as `PAGES`; `test_access_matrix.py` walks
the URL configuration and fails for any project URL that no page covers."""

from collections.abc import Callable
from dataclasses import dataclass, field

ANON, OUTSIDER, MEMBER, MAYOR, OTHER_COACH, COACH, STAFF = (
    "anonymous", "outsider", "member", "mayor", "other_coach", "coach", "staff"
)
LOGIN = 302  # anonymous visitors are sent to the sign-in page


def city_page(member=200, mayor=None, coach=200, staff=200):
    """Expected statuses for a page of city A: outsiders and other coaches get 404."""
    return {
        ANON: LOGIN, OUTSIDER: 404, OTHER_COACH: 404, MEMBER: member,
        MAYOR: member if mayor is None else mayor, COACH: coach, STAFF: staff,
    }


def staff_page(coach=403, member=403):
    return {ANON: LOGIN, OUTSIDER: member, MEMBER: member, MAYOR: member, OTHER_COACH: coach, COACH: coach, STAFF: 200}


@dataclass
class Page:
    url_name: str
    expected: dict
    kwargs: Callable = field(default=lambda world: {})
    method: str = "get"
    data: Callable = field(default=lambda world: {})
