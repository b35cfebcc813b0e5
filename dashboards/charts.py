"""Inline SVG charts for the cohort dashboard, drawn on the server so they work in print and with
screen readers. Each chart has role="img", a <title> and a <desc>; the page puts the same figures
in a table beside it. One horizontal bar chart serves all three (one or two series per row)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accelerator.svg import BLUE, GREEN, GREY, MUTED, RULE, bar, chart, element, label_column, text, truncate
from strategy.guide import COMPONENTS, PLAN_PARTS


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
    out = []
    for tick in ticks:
        x = round(label_w + scale_w * tick / maximum, 1)
        out.append(element("line", x1=x, y1=top - 6, x2=x, y2=height - 4, stroke=RULE))
        out.append(text(x, top - 10, f"{tick}{unit}", size=11, anchor="middle"))
    if not rows:
        out.append(text(label_w, top + 16, _("Nothing to show yet."), size=13, fill=MUTED))
    labels = []
    for i, row in enumerate(rows):
        y = top + i * per_row
        # 26 characters fit the label column; the full label is in the bar's tooltip and the table.
        labels.append(text(4, y + bar_h, truncate(row.label, 26)))
        for j, one in enumerate(row.bars):
            w = round(max(scale_w * min(one.value, maximum) / maximum, 1), 1)
            name = f"{row.label}, {one.series}" if one.series else row.label
            out.append(bar(label_w, y + j * bar_h, w, bar_h - 2, one.colour, f"{name}: {one.value:g}{unit}"))
        if row.note:
            out.append(text(label_w + scale_w + 8, y + bar_h, row.note))
    out.append(label_column(chart_id, label_w - 8, height, labels))
    return chart(chart_id, title, description, width, height, out, class_="strategy-chart dashboard-chart")


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
