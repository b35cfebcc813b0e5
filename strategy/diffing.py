"""Word-level diffs for the history page, marked up with <del>/<ins> and words a screen reader says."""

import difflib
import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

_TOKENS = re.compile(r"\s+|[^\s]+")


def diff_html(before, after):
    before, after = "" if before is None else str(before), "" if after is None else str(after)
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(format_html('<del><span class="visually-hidden">{} </span>{}</del>', _("removed:"),
                                   "".join(a[i1:i2])))
        if op == "replace":
            out.append(" ")  # so a replaced word and its replacement do not read as one word
        if op in ("insert", "replace"):
            out.append(format_html('<ins><span class="visually-hidden">{} </span>{}</ins>', _("added:"),
                                   "".join(b[j1:j2])))
    return mark_safe("".join(out))


def field_diffs(model, before, after, display=None):
    """[(label, before_text, after_text, diff_html)] for the fields that changed."""
    rows = []
    display = display or (lambda name, value: value)
    for name in model.EDITABLE_FIELDS:
        old, new = before.get(name), after.get(name)
        if old == new and before and after:
            continue
        old_text, new_text = display(name, old), display(name, new)
        label = model._meta.get_field(name).verbose_name
        rows.append((label, old_text, new_text, diff_html(old_text, new_text)))
    return rows
