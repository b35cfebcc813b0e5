"""The whole plan as a Word document: the same tree the page renders, with tables for actions
and measures and the quarter timeline as a shaded grid."""

import io
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from .charts import STATUS_COLOURS
from .guide import QUARTERS, quarter_label


def _style(document, name):
    """Styles looked up once per document: python-docx's lookup by name is slow, and a full plan
    asks for a style a few hundred times."""
    cache = document.__dict__.setdefault("_style_cache", {})
    if name not in cache:
        cache[name] = document.styles[name]
    return cache[name]


def _heading(document, text, level):
    return document.add_paragraph(str(text), style=_style(document, "Title" if level == 0 else f"Heading {level}"))


def _shade(cell, colour):
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#"))
    properties.append(shading)


def _table(document, headers, rows, weights=None):
    """A grid table; `weights` share the page's text width between the columns, so long text
    gets room and short quarters do not take a word processor's equal share."""
    rows = list(rows)
    table = document.add_table(rows=len(rows) + 1, cols=len(headers))  # all rows at once: add_row is slow
    table.style = _style(document, "Table Grid")
    if weights:
        section = document.sections[-1]
        usable = section.page_width - section.left_margin - section.right_margin
        widths = [int(usable * w / sum(weights)) for w in weights]
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
            for cell in column.cells:
                cell.width = width
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(str(text)).bold = True
    for table_row, row in zip(table.rows[1:], rows, strict=True):
        # A row may fill only its first cells (the timeline leaves the quarters to shading).
        for cell, text in zip(table_row.cells, row, strict=False):
            if text not in ("", None):
                cell.paragraphs[0].add_run(str(text))
    return table


def _text(document, text, empty):
    if text.strip():
        for paragraph in text.strip().split("\n\n"):
            document.add_paragraph(paragraph)
    else:
        document.add_paragraph(str(empty)).italic = True


# Characters XML 1.0 cannot hold; python-docx refuses them, and a form lets them through.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value):
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {key: _xml_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_xml_safe(item) for item in value)
    return value


def plan_docx(city, tree, ratings=None):
    """Bytes of a .docx holding the plan `tree` (already decorated with the guide's words)."""
    tree = _xml_safe(tree)
    document = Document()
    document.styles["Normal"].font.size = Pt(10.5)
    document.core_properties.title = _("Data strategy of %(city)s") % {"city": city.name}
    _heading(document, _("Data strategy of %(city)s") % {"city": city.name}, 0)
    document.add_paragraph(
        _("Edition %(edition)s · %(status)s · exported %(date)s")
        % {"edition": tree["edition"], "status": tree.get("status_label", ""), "date": timezone.localdate().isoformat()}
    )
    empty = _("Not written yet.")
    sections = tree["sections"]
    _heading(document, str(sections["vision"]["label"]), 1)
    _text(document, sections["vision"]["text"], empty)
    _heading(document, str(sections["priorities"]["label"]), 1)
    for line in sections["priorities"]["lines"] or [empty]:
        document.add_paragraph(line, style=_style(document, "List Number"))

    for component in tree["components"]:
        _heading(document, str(component["title"]), 1)
        document.add_paragraph(str(component["purpose"])).italic = True
        if component["level"]:
            document.add_paragraph(
                _("Maturity today: %(level)s — %(name)s. %(description)s")
                % {"level": component["level"], "name": component["level_name"],
                   "description": component["level_description"]}
            )
        _text(document, component["state"], empty)
        for goal in component["goals"]:
            _heading(document, _("Goal: %(goal)s") % {"goal": goal["title"]}, 2)
            if goal["description"]:
                document.add_paragraph(goal["description"])
            if goal["actions"]:
                _table(document,
                       [_("Action"), _("Owner"), _("Start"), _("End"), _("Status"), _("Milestones"),
                        _("Resources or budget")],
                       [(a["what"], a["owner_display"], a["start_label"], a["end_label"], a["status_label"],
                         a["milestones"], a["resources"])
                        for a in goal["actions"]],
                       weights=[2.6, 1.8, 1.25, 1.25, 1.4, 2.3, 1.8])
            measures = [(a["what"], m) for a in goal["actions"] for m in a["measures"]]
            if measures:
                _heading(document, _("Measures"), 3)
                _table(document, [_("Action"), _("Measure"), _("Baseline"), _("Target"), _("Unit"), _("By when")],
                       [(what, m["name"], m["baseline"], m["target"], m["unit"],
                         m["by_label"]) for what, m in measures],
                       weights=[2.6, 2.6, 1.5, 1.5, 1.3, 1.3])

    _heading(document, _("People, practices and platforms"), 1)
    for key in ("people", "practices", "platforms"):
        _heading(document, str(sections[key]["label"]), 2)
        _text(document, sections[key]["text"], empty)
    for key in ("engagement", "evaluation"):
        _heading(document, str(sections[key]["label"]), 1)
        _text(document, sections[key]["text"], empty)

    if ratings:
        _maturity(document, tree, ratings)
    _timeline(document, tree["actions"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _maturity(document, tree, ratings):
    _heading(document, _("Maturity self-assessment"), 1)
    rows = []
    for component in tree["components"]:
        phases = ratings.get(component["key"], {})
        baseline, end = phases.get("baseline"), phases.get("end")
        change = f"{end.level - baseline.level:+d}" if baseline and end else "—"
        rows.append((component["title"], baseline.level if baseline else "—", end.level if end else "—", change))
    _table(document, [_("Component"), _("Baseline"), _("End of program"), _("Change")], rows)


def _timeline(document, actions):
    section = document.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    _heading(document, _("Timeline of actions by quarter"), 1)
    rows = [a for a in actions if a["start"] and a["end"]]
    if not rows:
        document.add_paragraph(_("No action has quarters yet."))
        return
    table = _table(document, [_("Action"), *[quarter_label(q + 1) for q in range(QUARTERS)]],
                   [[action["what"]] for action in rows])
    for table_row, action in zip(table.rows[1:], rows, strict=True):
        cells = table_row.cells
        for q in range(action["start"], action["end"] + 1):
            _shade(cells[q], STATUS_COLOURS.get(action["status"], "#6c757d"))
        run = cells[action["start"]].paragraphs[0].add_run(action["status_label"])
        run.font.size = Pt(7)
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    document.add_paragraph(
        _("Shaded cells show the quarters each action runs; the first shaded cell names its status.")
    )
