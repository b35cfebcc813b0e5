"""The rows of a session's invitee list and attendance form, written in Python: fifty rows of
a template loop cost more than the rest of the page together."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from agenda.models import Attendance, Response

register = template.Library()


@register.simple_tag
def invitee_rows(invitees):
    """<tr>s of the session page's invitee table: person, city, answer, attendance."""
    statuses = {value: str(label) for value, label in Attendance.Status.choices}
    answers = {value: str(label) for value, label in Response.choices}
    marks, rows = invitees.marks, []
    for invitation in invitees.rows:
        answer = escape(answers.get(invitation.response, invitation.response))
        if invitation.reason:
            answer += " — " + escape(invitation.reason)
        mark = marks.get(invitation.person_id)
        status = escape(statuses.get(mark.status, mark.status)) if mark else "—"
        rows.append(f"<tr><td>{escape(invitation.person.full_name)}</td><td>{escape(invitation.city.name)}</td>"
                    f"<td>{answer}</td><td>{status}</td></tr>")
    return mark_safe("\n".join(rows))  # every cell escaped above


def _mark_cell(mark, sources):
    if mark is None:
        return "—"
    by = " · " + escape(mark.marked_by.full_name) if mark.marked_by_id else ""
    note = f'<div class="small text-body-secondary">{escape(mark.note)}</div>' if mark.note else ""
    return f"{escape(sources.get(mark.source, mark.source))}{by}{note}"


@register.simple_tag
def attendance_rows(form, marks, in_person):
    """<tr>s of the attendance form: person, city, answer, the choice (or the segment-derived mark
    of a convening, which is not marked here), and where the mark came from. Labels are looked
    up once for the page, the cells escaped one by one."""
    statuses = {value: str(label) for value, label in Attendance.Status.choices}
    sources = {value: str(label) for value, label in Attendance.Source.choices}
    answers = {value: str(label) for value, label in Response.choices}
    rows = []
    for invitation, field, options in form.rows():
        mark = marks.get(invitation.person_id)
        name = invitation.person.full_name
        if in_person:
            choice = escape(statuses.get(mark.status, mark.status)) if mark else "—"
        else:
            label = escape(_("Attendance of %(name)s") % {"name": name})
            errors = "".join(f'<div class="invalid-feedback">{escape(e)}</div>' for e in field.errors)
            field_id = escape(field.id_for_label)
            invalid = " is-invalid" if field.errors else ""
            choice = (f'<label class="visually-hidden" for="{field_id}">{label}</label>'
                      f'<select name="{escape(field.html_name)}" id="{field_id}" class="form-select form-select-sm'
                      f'{invalid}">{options}</select>{errors}')
        rows.append(f'<tr><th scope="row">{escape(name)}</th><td>{escape(invitation.city.name)}</td>'
                    f'<td>{escape(answers.get(invitation.response, invitation.response))}</td><td>{choice}</td>'
                    f'<td>{_mark_cell(mark, sources)}</td></tr>')
    return mark_safe("\n".join(rows))  # every cell escaped above


@register.simple_tag
def invitee_city_options(invitees):
    """The city filter's <option>s (a hundred cities), the chosen one selected."""
    chosen = invitees.city.slug if invitees.city else None
    return mark_safe("".join(  # every value escaped here
        f'<option value="{escape(c.slug)}"{" selected" if c.slug == chosen else ""}>'
        f'{escape(c.name)} ({c.count})</option>' for c in invitees.cities))
