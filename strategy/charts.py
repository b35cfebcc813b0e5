"""Inline SVG charts, drawn on the server so they work in print, in exports and with screen
readers: each has a <title>, a <desc>, and the page gives the same numbers as a table."""

from django.utils.translation import gettext as _

from accelerator.svg import BLUE, GREEN, GREY, RED, RULE, bar, chart, element, label_column, text, truncate

from .guide import COMPONENTS, QUARTERS, quarter_label

STATUS_COLOURS = {"not_started": GREY, "on_track": GREEN, "at_risk": RED, "done": BLUE}


def timeline_svg(actions, chart_id="timeline"):
    """Actions as bars over the twelve quarters Y1 Q1 … Y3 Q4."""
    label_w, col_w, row_h, top = 260, 44, 26, 34
    rows = [a for a in actions if a["start"] and a["end"]]
    width, height = label_w + col_w * QUARTERS + 10, top + row_h * max(len(rows), 1) + 10
    desc = _("%(count)s actions with start and end quarters over three years; the table of actions gives "
             "the same dates.") % {"count": len(rows)}
    out = []
    for q in range(QUARTERS):
        x = label_w + q * col_w
        shade = "#f1f3f5" if (q // 4) % 2 == 0 else "#ffffff"
        out.append(element("rect", x=x, y=top - 4, width=col_w, height=height - top, fill=shade))
        out.append(text(x + col_w / 2, top - 10, quarter_label(q + 1), size=11, anchor="middle"))
    if not rows:
        out.append(text(label_w, top + 16, _("No action has quarters yet."), size=13, fill="#495057"))
    labels = []
    for i, action in enumerate(rows):
        y = top + i * row_h
        x = label_w + (action["start"] - 1) * col_w + 2
        w = (action["end"] - action["start"] + 1) * col_w - 4
        # 34 characters fit the label column at this size; the full text is in the tooltip and the table.
        labels.append(text(4, y + 16, truncate(action["what"], 34)))
        tooltip = f'{action["what"]}: {action["start_label"]} – {action["end_label"]}, {action["status_label"]}'
        out.append(bar(x, y + 4, w, row_h - 8, STATUS_COLOURS.get(action["status"], GREY), tooltip, rx=3))
    out.append(label_column(chart_id, label_w - 8, height, labels))
    return chart(chart_id, _("Timeline of actions by quarter"), desc, width, height, out)


def maturity_svg(ratings, chart_id="maturity"):
    """Baseline and end-of-program level (1–5) per component, side by side, with the change."""
    label_w, bar_h, gap, top, scale = 150, 14, 18, 24, 70
    width = label_w + 5 * scale + 80
    height = top + len(COMPONENTS) * (2 * bar_h + gap) + 10
    desc = _("For each component, the level from 1 (ad hoc) to 5 (embedded) at the start and at the end of the "
             "program; the table gives the same figures.")
    out = []
    for level in range(1, 6):
        x = label_w + level * scale
        out.append(element("line", x1=x, y1=top - 6, x2=x, y2=height - 6, stroke=RULE))
        out.append(text(x, top - 10, level, size=11, anchor="middle"))
    for i, component in enumerate(COMPONENTS):
        y = top + i * (2 * bar_h + gap)
        phases = ratings.get(component.kind, {})
        out.append(text(4, y + bar_h + 4, component.title))
        series = (("baseline", GREY, _("baseline")), ("end", BLUE, _("end")))
        for j, (phase, colour, name) in enumerate(series):
            rating = phases.get(phase)
            if rating is None:
                continue
            out.append(bar(label_w, y + j * bar_h, rating.level * scale, bar_h - 2, colour,
                           f"{component.title}, {name}: {rating.level}"))
        if "baseline" in phases and "end" in phases:
            change = phases["end"].level - phases["baseline"].level
            out.append(text(label_w + 5 * scale + 8, y + bar_h + 4, f"{change:+d}"))
    return chart(chart_id, _("Maturity self-assessment: baseline and end of program"), desc, width, height, out)
