"""Inline SVG charts, drawn on the server so they work in print, in exports and with screen
readers: each has a <title>, a <desc>, and the page gives the same numbers as a table."""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .guide import COMPONENTS, QUARTERS, quarter_label

STATUS_COLOURS = {"not_started": "#6c757d", "on_track": "#1b6e3a", "at_risk": "#b02a37", "done": "#0b3d66"}


def _truncate(text, size):
    return text if len(text) <= size else text[: size - 1] + "…"


def timeline_svg(actions, chart_id="timeline"):
    """Actions as bars over the twelve quarters Y1 Q1 … Y3 Q4."""
    label_w, col_w, row_h, top = 260, 44, 26, 34
    rows = [a for a in actions if a["start"] and a["end"]]
    width, height = label_w + col_w * QUARTERS + 10, top + row_h * max(len(rows), 1) + 10
    desc = _("%(count)s actions with start and end quarters over three years; the table of actions gives "
             "the same dates.") % {"count": len(rows)}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="strategy-chart" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(_("Timeline of actions by quarter"))}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for q in range(QUARTERS):
        x = label_w + q * col_w
        shade = "#f1f3f5" if (q // 4) % 2 == 0 else "#ffffff"
        out.append(f'<rect x="{x}" y="{top - 4}" width="{col_w}" height="{height - top}" fill="{shade}"/>')
        out.append(f'<text x="{x + col_w / 2}" y="{top - 10}" font-size="11" text-anchor="middle" '
                   f'fill="#212529">{quarter_label(q + 1)}</text>')
    if not rows:
        out.append(f'<text x="{label_w}" y="{top + 16}" font-size="13" '
                   f'fill="#495057">{escape(_("No action has quarters yet."))}</text>')
    for i, action in enumerate(rows):
        y = top + i * row_h
        colour = STATUS_COLOURS.get(action["status"], "#6c757d")
        x = label_w + (action["start"] - 1) * col_w + 2
        w = (action["end"] - action["start"] + 1) * col_w - 4
        label = escape(_truncate(action["what"], 40))
        out.append(f'<text x="4" y="{y + 16}" font-size="12" fill="#212529">{label}</text>')
        out.append(
            f'<rect x="{x}" y="{y + 4}" width="{w}" height="{row_h - 8}" rx="3" fill="{colour}">'
            f'<title>{escape(action["what"])}: {action["start_label"]} – {action["end_label"]}, '
            f'{escape(action["status_label"])}</title></rect>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))


def maturity_svg(ratings, chart_id="maturity"):
    """Baseline and end-of-program level (1–5) per component, side by side, with the change."""
    label_w, bar_h, gap, top, scale = 150, 14, 18, 24, 70
    width = label_w + 5 * scale + 80
    height = top + len(COMPONENTS) * (2 * bar_h + gap) + 10
    desc = _("For each component, the level from 1 (ad hoc) to 5 (embedded) at the start and at the end of the "
             "program; the table gives the same figures.")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="strategy-chart" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(_("Maturity self-assessment: baseline and end of program"))}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for level in range(1, 6):
        x = label_w + level * scale
        out.append(f'<line x1="{x}" y1="{top - 6}" x2="{x}" y2="{height - 6}" stroke="#dee2e6"/>')
        out.append(f'<text x="{x}" y="{top - 10}" font-size="11" text-anchor="middle" fill="#212529">{level}</text>')
    for i, component in enumerate(COMPONENTS):
        y = top + i * (2 * bar_h + gap)
        phases = ratings.get(component.kind, {})
        out.append(f'<text x="4" y="{y + bar_h + 4}" font-size="12" fill="#212529">{escape(component.title)}</text>')
        series = (("baseline", "#6c757d", _("baseline")), ("end", "#0b3d66", _("end")))
        for j, (phase, colour, name) in enumerate(series):
            rating = phases.get(phase)
            if rating is None:
                continue
            out.append(f'<rect x="{label_w}" y="{y + j * bar_h}" width="{rating.level * scale}" height="{bar_h - 2}" '
                       f'fill="{colour}">'
                       f'<title>{escape(component.title)}, {escape(name)}: {rating.level}</title></rect>')
        if "baseline" in phases and "end" in phases:
            change = phases["end"].level - phases["baseline"].level
            out.append(f'<text x="{label_w + 5 * scale + 8}" y="{y + bar_h + 4}" font-size="12" '
                       f'fill="#212529">{change:+d}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))
