"""The desk's, the board's and the codes page's table rows and the desk search's results, built in
Python: a page of them costs a few milliseconds less than the same markup through template tags
and includes, on the pages the desk reloads all day. The cell badge is `cells.cell_html`, which
the cell include uses too.

Every message is translated outside the f-strings (makemessages cannot read a call inside one)
and every value is escaped before it goes in."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accelerator.caching import CSRF_STAND_IN
from cohorts.models import Role
from cohorts.models.teams import role_label_of

from ..cells import cell_html

register = template.Library()


@register.simple_tag
def convening_cell(cell):
    return cell_html(cell)


def _empty_row(columns, message):
    return format_html('<tr><td colspan="{}">{}</td></tr>', columns, message)


def _refused_badge(n):
    if not n:
        return "—"
    return format_html('<span class="badge text-bg-danger">{}</span>',
                       ngettext("%(n)s refused", "%(n)s refused", n) % {"n": n})


@register.simple_tag
def board_rows(board, session):
    """The board's `<tr>`s for its page of cities (`selectors.Board`)."""
    lines = board.cities.object_list
    if not lines:
        return _empty_row(len(board.days) + 4, _("No cities in this cohort."))
    # The same address for every city but its slug (a slug never holds this marker).
    marker = "--city--"
    eligibility = reverse("convening:eligibility", kwargs={"code": session.code, "city_slug": marker})
    no_mayor = format_html('<span class="text-danger">{}</span>', _("No mayor"))
    rows = []
    for line in lines:
        cells = "".join(f"<td>{cell_html(cell)}</td>" for cell in line.cells)
        label = line.review_label if line.review_state else line.status_label
        mayor = escape(line.mayor_name) if line.mayor_name is not None else no_mayor
        rows.append(
            f'<tr><th scope="row">{escape(line.name)}</th><td>{mayor}</td>{cells}'
            f"<td>{_refused_badge(line.attempts)}</td>"
            f'<td><a href="{escape(eligibility.replace(marker, line.slug))}">{escape(label)}</a></td></tr>'
        )
    return mark_safe("\n".join(rows))  # every value above is escaped


@register.simple_tag
def desk_rows(rows):
    """The desk's `<tr>`s for its page of mayors (`selectors.DeskRow`)."""
    if not rows:
        return _empty_row(3, _("No mayors in this cohort yet."))
    attempt = format_html(' <span class="badge text-bg-danger">{}</span>', _("surrogate attempt"))
    return mark_safe("\n".join(  # every value is escaped
        f'<tr><th scope="row">{escape(row.city_name)}</th><td>{escape(row.mayor_name)}</td>'
        f'<td>{cell_html(row.cell)}{attempt if row.attempted else ""}</td></tr>'
        for row in rows
    ))



def results_html(results, query, identity_label):
    """The desk search's results (`selectors.desk_search`): each person with a check-in form and,
    for anyone but a mayor, the button that refuses them as a stand-in. One form per person, so
    the identity check goes with the person it was made for. `CSRF_STAND_IN` stands where each
    form's token goes, so the list can be kept and each request given its own (`with_csrf_token`)."""
    token = CSRF_STAND_IN
    query, identity_label = escape(query), escape(identity_label)
    badges = {
        "mayor": format_html('<span class="badge text-bg-primary">{}</span>', _("Mayor")),
        "invited": format_html('<span class="badge text-bg-secondary">{}</span>', _("Invited")),
        "not_invited": format_html('<span class="badge text-bg-warning">{}</span>', _("Not invited")),
    }
    # Each message translated once for the list, not once per person.
    check_in_text, refuse_text = _("Check in %(name)s"), _("%(name)s is presenting for the mayor — refuse")
    roles = {value: str(label) for value, label in Role.choices}
    items = []
    for m in results:
        name, code = m.user.full_name, escape(m.code)
        badge = badges["mayor" if m.is_mayor else "invited" if m.invited else "not_invited"]
        check_in = escape(check_in_text % {"name": name})
        stand_in = refuse = ""
        if not m.is_mayor:
            stand_in = (f'<input type="hidden" name="stand-person" value="{code}">'
                        '<input type="hidden" name="stand-reason" value="team_member">')
            label = escape(refuse_text % {"name": name})
            refuse = ('<button type="submit" name="action" value="surrogate" '
                      f'class="btn btn-outline-danger btn-sm mt-2 d-block">{label}</button>')
        items.append(
            '<li class="list-group-item"><div class="d-flex flex-wrap justify-content-between gap-1">'
            f"<span><strong>{escape(name)}</strong> — {escape(role_label_of(m.role, m.title, labels=roles))}, "
            f"{escape(m.city.name)}</span>{badge}</div>"
            f'<form method="post" class="mt-2"><input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            f'<input type="hidden" name="person" value="{code}"><input type="hidden" name="q" value="{query}">'
            f'{stand_in}<div class="form-check mb-2">'
            f'<input class="form-check-input" type="checkbox" name="identity_confirmed" id="id-{code}">'
            f'<label class="form-check-label" for="id-{code}">{identity_label}</label></div>'
            f'<button type="submit" name="action" value="person" class="btn btn-success">{check_in}</button>'
            f"{refuse}</form></li>"
        )
    return "\n".join(items)  # every value above is escaped


@register.simple_tag
def code_rows(lines):
    """The codes page's `<tr>`s for its page of mayors (`selectors.CodeLine`); each row's button
    posts its mayor in the table's one form."""
    if not lines:
        return _empty_row(5, _("No mayors in this cohort yet."))
    rows = []
    for line in lines:
        name = line.mayor_name
        code = f'<code class="fs-6">{escape(line.code)}</code>' if line.code else "—"
        if line.replaced:
            replaced = ngettext("%(n)s replaced", "%(n)s replaced", line.replaced) % {"n": line.replaced}
            code += f' <small class="text-body-secondary">({escape(replaced)})</small>'
        issued = date_format(timezone.localtime(line.issued_at), "j M Y H:i") if line.code else ""
        action = (_("Reissue code for %(name)s") if line.code else _("Issue code for %(name)s")) % {"name": name}
        rows.append(
            f'<tr><th scope="row">{escape(line.city_name)}</th><td>{escape(name)}</td><td>{code}</td>'
            f"<td>{escape(issued)}</td>"
            f'<td><button type="submit" name="person" value="{escape(line.person)}" '
            f'class="btn btn-sm btn-outline-secondary">{escape(action)}</button></td></tr>'
        )
    return mark_safe("\n".join(rows))  # every value above is escaped
