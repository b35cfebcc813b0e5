"""The whole plan as a Word document: the same tree the page renders, with tables for actions
and measures and the quarter timeline as a shaded grid."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from .charts import STATUS_COLOURS
from .guide import QUARTERS, quarter_label


def _shade(cell, colour):
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#"))
    properties.append(shading)


def _table(document, headers, rows):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = str(text)
    return table


def _text(document, text, empty):
    if text.strip():
        for paragraph in text.strip().split("\n\n"):
            document.add_paragraph(paragraph)
    else:
        document.add_paragraph(str(empty)).italic = True


def plan_docx(city, tree, ratings=None):
    """Bytes of a .docx holding the plan `tree` (already decorated with the guide's words)."""
    document = Document()
    document.styles["Normal"].font.size = Pt(10.5)
    document.core_properties.title = _("Data strategy of %(city)s") % {"city": city.name}
    document.add_heading(_("Data strategy of %(city)s") % {"city": city.name}, level=0)
    document.add_paragraph(
        _("Edition %(edition)s · %(status)s · exported %(date)s")
        % {"edition": tree["edition"], "status": tree.get("status_label", ""), "date": timezone.localdate().isoformat()}
    )
    empty = _("Not written yet.")
    sections = tree["sections"]
    document.add_heading(str(sections["vision"]["label"]), level=1)
    _text(document, sections["vision"]["text"], empty)
    document.add_heading(str(sections["priorities"]["label"]), level=1)
    for line in sections["priorities"]["lines"] or [empty]:
        document.add_paragraph(line, style="List Number")

    for component in tree["components"]:
        document.add_heading(str(component["title"]), level=1)
        document.add_paragraph(str(component["purpose"])).italic = True
        if component["level"]:
            document.add_paragraph(
                _("Maturity today: %(level)s — %(name)s. %(description)s")
                % {"level": component["level"], "name": component["level_name"], "description": component["level_description"]}
            )
        _text(document, component["state"], empty)
        for goal in component["goals"]:
            document.add_heading(_("Goal: %(goal)s") % {"goal": goal["title"]}, level=2)
            if goal["description"]:
                document.add_paragraph(goal["description"])
            if goal["actions"]:
                _table(document, [_("Action"), _("Owner"), _("Start"), _("End"), _("Status"), _("Milestones"), _("Resources or budget")],
                       [(a["what"], a["owner_display"], a["start_label"], a["end_label"], a["status_label"], a["milestones"], a["resources"])
                        for a in goal["actions"]])
            measures = [(a["what"], m) for a in goal["actions"] for m in a["measures"]]
            if measures:
                document.add_paragraph(_("Measures"), style="Heading 3")
                _table(document, [_("Action"), _("Measure"), _("Baseline"), _("Target"), _("Unit"), _("By when")],
                       [(what, m["name"], m["baseline"], m["target"], m["unit"], m["by_label"]) for what, m in measures])

    document.add_heading(_("People, practices and platforms"), level=1)
    for key in ("people", "practices", "platforms"):
        document.add_heading(str(sections[key]["label"]), level=2)
        _text(document, sections[key]["text"], empty)
    for key in ("engagement", "evaluation"):
        document.add_heading(str(sections[key]["label"]), level=1)
        _text(document, sections[key]["text"], empty)

    if ratings:
        _maturity(document, tree, ratings)
    _timeline(document, tree["actions"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _maturity(document, tree, ratings):
    document.add_heading(_("Maturity self-assessment"), level=1)
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
    document.add_heading(_("Timeline of actions by quarter"), level=1)
    rows = [a for a in actions if a["start"] and a["end"]]
    if not rows:
        document.add_paragraph(_("No action has quarters yet."))
        return
    table = document.add_table(rows=1, cols=QUARTERS + 1)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text = _("Action")
    for q in range(QUARTERS):
        header[q + 1].text = quarter_label(q + 1)
    for action in rows:
        cells = table.add_row().cells
        cells[0].text = action["what"]
        for q in range(action["start"], action["end"] + 1):
            _shade(cells[q], STATUS_COLOURS.get(action["status"], "#6c757d"))
        cells[action["start"]].text = ""
        run = cells[action["start"]].paragraphs[0].add_run(action["status_label"])
        run.font.size = Pt(7)
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    document.add_paragraph(_("Shaded cells show the quarters each action runs; the first shaded cell names its status."))
