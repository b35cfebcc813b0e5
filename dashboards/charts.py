"""Inline SVG charts for the cohort dashboard, drawn on the server so they work in print and with
screen readers. Each chart has role="img", a <title> and a <desc>; the page puts the same figures
in a table beside it. One horizontal bar chart serves all three (one or two series per row)."""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from strategy.charts import _truncate
from strategy.guide import COMPONENTS, PLAN_PARTS

GREY, BLUE, GREEN, RED = "#6c757d", "#0b3d66", "#1b6e3a", "#b02a37"


@dataclass
class Bar:
    value: float
    colour: str
    series: str = ""


@dataclass
class ChartRow:
    label: str
    bars: list = field(default_factory=list)
    note: str = ""


def bar_chart(chart_id, title, description, rows, *, maximum, ticks, unit=""):
    """Horizontal bars, one group per row; `ticks` are the values marked on the scale."""
    label_w, bar_h, gap, top, scale_w, note_w = 190, 14, 12, 26, 320, 70
    per_row = max((len(r.bars) for r in rows), default=1) * bar_h + gap
    width = label_w + scale_w + note_w
    height = top + per_row * max(len(rows), 1) + 6
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="strategy-chart dashboard-chart" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for tick in ticks:
        x = label_w + scale_w * tick / maximum
        out.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 4}" stroke="#dee2e6"/>')
        out.append(f'<text x="{x:.1f}" y="{top - 10}" font-size="11" text-anchor="middle" '
                   f'fill="#212529">{tick}{unit}</text>')
    if not rows:
        out.append(f'<text x="{label_w}" y="{top + 16}" font-size="13" '
                   f'fill="#495057">{escape(_("Nothing to show yet."))}</text>')
    for i, row in enumerate(rows):
        y = top + i * per_row
        out.append(f'<text x="4" y="{y + bar_h}" font-size="12" '
                   f'fill="#212529">{escape(_truncate(row.label, 30))}</text>')
        for j, bar in enumerate(row.bars):
            w = max(scale_w * min(bar.value, maximum) / maximum, 1)
            name = f"{row.label}, {bar.series}" if bar.series else row.label
            out.append(
                f'<rect x="{label_w}" y="{y + j * bar_h}" width="{w:.1f}" height="{bar_h - 2}" fill="{bar.colour}">'
                f'<title>{escape(name)}: {bar.value:g}{unit}</title></rect>'
            )
        if row.note:
            out.append(f'<text x="{label_w + scale_w + 8}" y="{y + bar_h}" font-size="12" '
                       f'fill="#212529">{escape(row.note)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))


def _average(values):
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 1) if values else None


def attendance_chart(sessions):
    """Attendance rate at each cohort-wide session held; `sessions` carry `rate` (or None)."""
    marked = [s for s in sessions if s.rate]
    rows = [ChartRow(s.title, [Bar(s.rate["rate"], BLUE)], f'{s.rate["rate"]}%') for s in marked]
    table = [{"label": s.title, "when": s.starts_at, "rate": s.rate} for s in sessions]
    svg = bar_chart(
        "chart-attendance", _("Attendance by session"),
        _("Share of marked people present or late at each of the %(count)s sessions held with attendance marked; "
          "the table below gives the same figures.") % {"count": len(marked)},
        rows, maximum=100, ticks=(0, 25, 50, 75, 100), unit="%",
    )
    return {"svg": svg, "table": table}


def completeness_chart(rows):
    """Average completeness of each part of the plan over the dashboard's cities."""
    table = []
    for key, label in PLAN_PARTS:
        percents = [row.strategy_parts.get(key) for row in rows if row.strategy_parts]
        average = _average(percents)
        done = sum(1 for p in percents if p == 100)
        table.append({"label": str(label), "average": average, "complete": done, "cities": len(percents)})
    chart_rows = [ChartRow(t["label"], [Bar(t["average"] or 0, GREEN)], f'{t["average"] or 0:g}%') for t in table]
    svg = bar_chart(
        "chart-completeness", _("Strategy completeness by component"),
        _("Average completeness of each part of the data strategy across %(count)s cities with a plan; "
          "the table below gives the same figures and how many cities finished each part.")
        % {"count": table[0]["cities"] if table else 0},
        chart_rows, maximum=100, ticks=(0, 25, 50, 75, 100), unit="%",
    )
    return {"svg": svg, "table": table}


def maturity_chart(rows):
    """Average maturity level per component at baseline and latest, over cities rated at both."""
    table = []
    for component in COMPONENTS:
        pairs = [row.maturity[component.kind] for row in rows]
        pairs = [p for p in pairs if p["baseline"] and p["latest"]]
        baseline = _average([p["baseline"] for p in pairs])
        latest = _average([p["latest"] for p in pairs])
        change = round(latest - baseline, 1) if pairs else None
        table.append({"label": component.title, "cities": len(pairs), "baseline": baseline, "latest": latest,
                      "change": change})
    chart_rows = [
        ChartRow(t["label"], [Bar(t["baseline"] or 0, GREY, _("baseline")), Bar(t["latest"] or 0, BLUE, _("latest"))],
                 f'{t["change"]:+g}' if t["change"] is not None else "—")
        for t in table
    ]
    svg = bar_chart(
        "chart-maturity", _("Maturity change per component"),
        _("For each component, the average maturity level from 1 (ad hoc) to 5 (embedded) at baseline (grey) and "
          "latest (blue) over the cities rated at both, with the change; the table below gives the same figures."),
        chart_rows, maximum=5, ticks=(1, 2, 3, 4, 5),
    )
    return {"svg": svg, "table": table}
