"""The desk's and the board's table rows, built in Python: a page of them costs a few
milliseconds less than the same markup through template includes, on the pages the desk reloads
all day. The cell badge is `cells.cell_html`, which the cell include uses too."""

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..cells import cell_html

register = template.Library()


@register.simple_tag
def convening_cell(cell):
    return cell_html(cell)


def _attempts_badge(n):
    if not n:
        return "—"
    label = ngettext("%(n)s refused", "%(n)s refused", n) % {"n": n}
    return f'<span class="badge text-bg-danger">{escape(label)}</span>'


@register.simple_tag
def board_rows(board, session):
    """The board's `<tr>`s for its page of cities (`selectors.Board`)."""
    lines = board.cities.object_list
    if not lines:
        return mark_safe(f'<tr><td colspan="{len(board.days) + 4}">{escape(_("No cities in this cohort."))}</td></tr>')
    # The same address for every city but its slug (a slug never holds this marker).
    marker = "--city--"
    eligibility = reverse("convening:eligibility", kwargs={"code": session.code, "city_slug": marker})
    no_mayor = f'<span class="text-danger">{escape(_("No mayor"))}</span>'
    rows = []
    for line in lines:
        cells = "".join(f"<td>{cell_html(cell)}</td>" for cell in line.cells)
        label = line.review_label if line.review_state else line.status_label
        rows.append(
            f'<tr><th scope="row">{escape(line.name)}</th>'
            f"<td>{escape(line.mayor_name) if line.mayor_name is not None else no_mayor}</td>{cells}"
            f"<td>{_attempts_badge(line.attempts)}</td>"
            f'<td><a href="{escape(eligibility.replace(marker, line.slug))}">{escape(label)}</a></td></tr>'
        )
    return mark_safe("\n".join(rows))  # every value above is escaped


@register.simple_tag
def desk_rows(rows):
    """The desk's `<tr>`s for its page of mayors (`selectors.DeskRow`)."""
    if not rows:
        return mark_safe(f'<tr><td colspan="3">{escape(_("No mayors in this cohort yet."))}</td></tr>')
    attempt = f' <span class="badge text-bg-danger">{escape(_("surrogate attempt"))}</span>'
    return mark_safe("\n".join(
        f'<tr><th scope="row">{escape(row.city_name)}</th><td>{escape(row.mayor_name)}</td>'
        f'<td>{cell_html(row.cell)}{attempt if row.attempted else ""}</td></tr>'
        for row in rows
    ))


@register.simple_tag(takes_context=True)
def desk_results(context, results, query, identity_label):
    """The desk search's results (`selectors.desk_search`): each person with a check-in form and,
    for anyone but a mayor, the button that refuses them as a stand-in. One form per person, so
    the identity check goes with the person it was made for."""
    token = escape(get_token(context["request"]))
    query, identity_label = escape(query), escape(identity_label)
    badges = {
        "mayor": f'<span class="badge text-bg-primary">{escape(_("Mayor"))}</span>',
        "invited": f'<span class="badge text-bg-secondary">{escape(_("Invited"))}</span>',
        "not_invited": f'<span class="badge text-bg-warning">{escape(_("Not invited"))}</span>',
    }
    items = []
    for m in results:
        name, code = m.user.full_name, escape(m.code)
        badge = badges["mayor" if m.is_mayor else "invited" if m.invited else "not_invited"]
        stand_in = refuse = ""
        if not m.is_mayor:
            stand_in = (f'<input type="hidden" name="stand-person" value="{code}">'
                        '<input type="hidden" name="stand-reason" value="team_member">')
            refuse = ('<button type="submit" name="action" value="surrogate" '
                      'class="btn btn-outline-danger btn-sm mt-2 d-block">'
                      f'{escape(_("%(name)s is presenting for the mayor — refuse") % {"name": name})}</button>')
        items.append(
            '<li class="list-group-item"><div class="d-flex flex-wrap justify-content-between gap-1">'
            f"<span><strong>{escape(name)}</strong> — {escape(m.role_label)}, {escape(m.city.name)}</span>{badge}</div>"
            f'<form method="post" class="mt-2"><input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            f'<input type="hidden" name="person" value="{code}"><input type="hidden" name="q" value="{query}">'
            f'{stand_in}<div class="form-check mb-2">'
            f'<input class="form-check-input" type="checkbox" name="identity_confirmed" id="id-{code}">'
            f'<label class="form-check-label" for="id-{code}">{identity_label}</label></div>'
            '<button type="submit" name="action" value="person" class="btn btn-success">'
            f'{escape(_("Check in %(name)s") % {"name": name})}</button>{refuse}</form></li>'
        )
    return mark_safe("\n".join(items))  # every value above is escaped
