"""How a mayor's segment reads on the desk, the board, the eligibility page and the city home: one
badge per state, in one place. Built in Python because the board shows a page of cities × segments
of them, where a template include per cell costs more than the rest of the page."""

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .selectors import EXCUSED, LATE, LEFT_EARLY, MISSED, PENDING, PRESENT, REFUSED

# state: (badge class, label, whether the time of the mark follows)
BADGES = {
    PRESENT: ("text-bg-success", _("Present"), True),
    LATE: ("text-bg-info", _("Late"), True),
    LEFT_EARLY: ("text-bg-info", _("Left early"), False),
    REFUSED: ("text-bg-danger", _("Surrogate refused"), True),
    EXCUSED: ("text-bg-secondary", _("Excused"), False),
    MISSED: ("text-bg-danger", _("Missed"), False),
    PENDING: ("text-bg-warning", _("Not in yet"), False),
}
UPCOMING_BADGE = ("text-bg-light border", _("Upcoming"), False)


def _badges():
    """{state: (opening badge HTML, whether the time follows)} in the active language, translated
    once per language rather than once per cell."""
    language = get_language()
    badges = _BADGE_HTML.get(language)
    if badges is None:
        badges = {state: (f'<span class="badge {css}">{escape(label)}</span>', timed)
                  for state, (css, label, timed) in (*BADGES.items(), (None, UPCOMING_BADGE))}
        _BADGE_HTML[language] = badges
    return badges


_BADGE_HTML = {}


def cell_html(cell):
    """The badge of a `selectors.Cell` (None reads as upcoming), with the time of the mark in the
    active time zone where the state has one."""
    badges = _badges()
    html, timed = badges.get(cell.state, badges[None]) if cell is not None else badges[None]
    if timed and cell.row is not None:
        html += f" <small>{timezone.localtime(cell.row.marked_at):%H:%M}</small>"
    return mark_safe(html)
