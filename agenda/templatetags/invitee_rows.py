"""The rows of a session's invitee list and attendance form, written in Python: fifty rows of
a template loop cost more than the rest of the page together."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()


def _answer(invitation):
    answer = invitation.get_response_display()
    return format_html("{} — {}", answer, invitation.reason) if invitation.reason else answer


@register.simple_tag
def invitee_rows(invitees):
    """<tr>s of the session page's invitee table: person, city, answer, attendance."""
    marks = invitees.marks
    return format_html_join("\n", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", (
        (i.person.full_name, i.city.name, _answer(i),
         marks[i.person_id].get_status_display() if i.person_id in marks else "—")
        for i in invitees.rows
    ))


def _mark_cell(mark):
    if mark is None:
        return "—"
    by = format_html(" · {}", mark.marked_by.full_name) if mark.marked_by_id else ""
    note = format_html('<div class="small text-body-secondary">{}</div>', mark.note) if mark.note else ""
    return format_html("{}{}{}", mark.get_source_display(), by, note)


@register.simple_tag
def attendance_rows(form, marks, in_person):
    """<tr>s of the attendance form: person, city, answer, the choice (or the segment-derived mark
    of a convening, which is not marked here), and where the mark came from."""
    rows = []
    for invitation, field, options in form.rows():
        mark = marks.get(invitation.person_id)
        if in_person:
            choice = mark.get_status_display() if mark else "—"
        else:
            label = _("Attendance of %(name)s") % {"name": invitation.person.full_name}
            errors = format_html_join("", '<div class="invalid-feedback">{}</div>', ((e,) for e in field.errors))
            choice = format_html(
                '<label class="visually-hidden" for="{}">{}</label>'
                '<select name="{}" id="{}" class="form-select form-select-sm{}">{}</select>{}',
                field.id_for_label, label, field.html_name, field.id_for_label,
                " is-invalid" if field.errors else "", options, errors)
        rows.append(format_html('<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
                                invitation.person.full_name, invitation.city.name,
                                invitation.get_response_display(), choice, _mark_cell(mark)))
    return format_html_join("\n", "{}", ((row,) for row in rows))
