"""The program's impact report for one cohort: what changed between the start and the end, in
numbers, charts (with tables as their alternative) and short sentences. Every figure is read in
grouped queries, so the report costs the same for 5 cities as for 50, and the same function
gives every cohort's figures, so cohorts compare line by line."""

import datetime
import itertools
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agenda.models import Attendance, LearningGoal, Session, SessionFeedback
from coaching.models import CheckIn, ShowcaseFeedback
from coaching.models.settings import cadence_days
from cohorts.models import City, DashboardRow, Role
from convening import selectors as convening_selectors
from strategy.guide import COMPONENTS
from strategy.models import MaturityRating, PublishedEdition

from . import read_model
from .charts import Bar, ChartRow, bar_chart

# A gap between check-ins this much longer than the cohort's cadence still counts as kept
# (a holiday, a rescheduled call); longer, and the city lost its rhythm.
CADENCE_SLACK = 1.5


def _percent(part, whole):
    return round(100 * part / whole) if whole else None


def _mean(values):
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 1) if values else None


@dataclass
class ImpactReport:
    cohort: object
    cities: list
    maturity: list = field(default_factory=list)  # per component: cities, baseline, end, change, raised
    maturity_by_city: list = field(default_factory=list)  # per city: {component: (baseline, end)}
    strategies: dict = field(default_factory=dict)
    convening: dict = field(default_factory=dict)
    attendance_by_role: list = field(default_factory=list)
    attendance_by_kind: list = field(default_factory=list)
    attendance_total: int | None = None
    cadence: dict = field(default_factory=dict)
    showcases: dict = field(default_factory=dict)
    feedback_by_kind: list = field(default_factory=list)
    feedback_by_goal: list = field(default_factory=list)
    feedback: dict = field(default_factory=dict)
    sentences: list = field(default_factory=list)

    def headline(self):
        """The figures that compare across cohorts, as (label, value) in a fixed order."""
        rows = [(_("Cities"), len(self.cities)),
                (_("Strategies approved"), self.strategies["approved"]),
                (_("Strategies public"), self.strategies["public"])]
        for m in self.maturity:
            rows.append((_("%(component)s: average change in maturity") % {"component": m["label"]},
                         "—" if m["change"] is None else f'{m["change"]:+g}'))
            rows.append((_("%(component)s: cities up at least one level") % {"component": m["label"]},
                         f'{m["raised"]} / {m["cities"]}'))
        rows += [
            (_("Mayors present on every required convening day"),
             f'{self.convening["compliant"]} / {self.convening["cities"]}' if self.convening["held"] else "—"),
            (_("Attendance at sessions (%)"), _dash(self.attendance_total)),
            (_("Cities that kept the coaching cadence"), f'{self.cadence["kept"]} / {self.cadence["cities"]}'),
            (_("Showcases with the practice sustained"),
             f'{self.showcases["sustained"]} / {self.showcases["with_feedback"]}'),
            (_("Sessions rated useful, on average (1–5)"), _dash(self.feedback["usefulness"])),
            (_("“I will apply this in my city”, on average (1–5)"), _dash(self.feedback["will_apply"])),
        ]
        return rows


def _dash(value):
    return "—" if value is None else value


def _maturity(report, city_ids):
    ratings = {}
    for r in MaturityRating.objects.filter(city_id__in=city_ids).only("city_id", "component", "phase", "level"):
        ratings.setdefault(r.city_id, {}).setdefault(r.component, {})[r.phase] = r.level
    for component in COMPONENTS:
        pairs = [ratings.get(c.pk, {}).get(component.kind, {}) for c in report.cities]
        pairs = [(p["baseline"], p["end"]) for p in pairs if "baseline" in p and "end" in p]
        baseline, end = _mean([b for b, _e in pairs]), _mean([e for _b, e in pairs])
        report.maturity.append({
            "kind": component.kind, "label": str(component.title), "cities": len(pairs), "baseline": baseline,
            "end": end, "change": round(end - baseline, 1) if pairs else None,
            "raised": sum(1 for b, e in pairs if e - b >= 1),
        })
    for city in report.cities:
        phases = ratings.get(city.pk, {})
        report.maturity_by_city.append({
            "city": city,
            "components": [(phases.get(c.kind, {}).get("baseline"), phases.get(c.kind, {}).get("end"))
                           for c in COMPONENTS],
        })


def _strategies(report):
    """From the cities as `report_cities` reads them (`approved`, `public_since`)."""
    approved = [city for city in report.cities if city.approved]
    public = [city for city in approved if city.public_since is not None]
    report.strategies = {"approved": len(approved), "public": len(public), "cities": len(report.cities)}


def _stored_convening(cities, session, now):
    """{city_id: convening column} from the cities' stored dashboard rows, when every row is
    current and was computed after `session` ended (its figures are final then) or is as fresh as
    the cohort dashboard requires (read_model.MAX_AGE); else None."""
    fresh = now - read_model.MAX_AGE
    columns = {}
    for city in cities:
        try:
            row = city.dashboard_row
        except DashboardRow.DoesNotExist:
            return None
        stored = row.data.get("convening") if row.is_current else None
        if stored is None or stored["session"] != session.pk or row.computed_at < min(session.ends_at, fresh):
            return None
        columns[city.pk] = stored
    return columns


def _convening(report, cohort, now):
    """Mayors present on every required day of the cohort's latest required convening: from the
    stored dashboard rows once it is over, else counted from the convening's board."""
    session = convening_selectors.latest_convening(cohort.pk, required=True)
    columns = _stored_convening(report.cities, session, now) if session is not None else {}
    if columns is None:
        session, columns = convening_selectors.dashboard_columns(
            cohort, City.objects.filter(pk__in=[c.pk for c in report.cities]), now=now)
    held = session is not None and session.starts_at <= now
    with_mayor = [c for c in columns.values() if c["has_mayor"] and c["required"]]
    compliant = sum(1 for c in with_mayor if c["attended"] == c["required"])
    report.convening = {"held": held, "session": session, "cities": len(with_mayor), "compliant": compliant,
                        "percent": _percent(compliant, len(with_mayor))}


def _split(rows, keys, sums):
    """Rows grouped by two fields, added up per value of each: ({first value: {sum: n}}, {second value: …})."""
    split = ({}, {})
    for row in rows:
        for side, key in zip(split, keys, strict=True):
            totals = side.setdefault(row[key], dict.fromkeys(sums, 0))
            for name in sums:
                totals[name] += row[name]
    return split


def _attendance(report, cohort, city_ids):
    """Rates by role and by kind of session, from one query grouped by both."""
    marks = Attendance.objects.filter(session__cohort=cohort, city_id__in=city_ids, day__isnull=True,
                                      person__memberships__city_id=F("city_id"))
    rows = marks.values(role=F("person__memberships__role"), kind=F("session__kind")).annotate(
        marked=Count("pk"), attended=Count("pk", filter=Q(status__in=Attendance.ATTENDED))).order_by()
    by_role, by_kind = (
        {key: {**counts, "rate": _percent(counts["attended"], counts["marked"])} for key, counts in side.items()}
        for side in _split(rows, ("role", "kind"), ("attended", "marked")))
    report.attendance_by_role = [{"label": str(label), **by_role[key]} for key, label in Role.choices
                                 if key in by_role]
    report.attendance_by_kind = [{"label": str(label), **by_kind[key]} for key, label in Session.Kind.choices
                                 if key in by_kind]
    attended = sum(r["attended"] for r in by_kind.values())
    report.attendance_total = _percent(attended, sum(r["marked"] for r in by_kind.values()))


def _cadence(report, cohort, city_ids, today):
    every = cadence_days(cohort)
    end = min(cohort.end_date, today)
    dates = {}
    for city_id, held_on in CheckIn.objects.filter(city_id__in=city_ids).order_by("held_on").values_list(
            "city_id", "held_on"):
        dates.setdefault(city_id, []).append(held_on)
    limit = datetime.timedelta(days=every * CADENCE_SLACK)
    kept = 0
    for city_id in city_ids:
        points = [cohort.start_date, *dates.get(city_id, []), end]
        if all(b - a <= limit for a, b in itertools.pairwise(points)):
            kept += 1
    report.cadence = {"every": every, "kept": kept, "cities": len(city_ids), "percent": _percent(kept, len(city_ids)),
                      "checkins": sum(len(v) for v in dates.values())}


def _showcases(report, city_ids):
    latest = {}
    for showcase_id, sustained in (ShowcaseFeedback.objects.filter(showcase__city_id__in=city_ids)
                                   .order_by("showcase_id", "-created_at").values_list("showcase_id", "sustained")):
        latest.setdefault(showcase_id, sustained)  # the latest feedback says where the practice stands now
    counts = {key: sum(1 for v in latest.values() if v == key) for key in ShowcaseFeedback.Sustained.values}
    report.showcases = {"with_feedback": len(latest), "sustained": counts["yes"], "partly": counts["partly"],
                        "not_yet": counts["not_yet"], "rows": [
                            {"label": str(label), "count": counts[key]} for key, label in
                            ShowcaseFeedback.Sustained.choices]}


def _feedback(report, cohort, city_ids):
    """Attendees' scores per kind of session and per learning goal, from one query grouped by both."""
    answers = SessionFeedback.objects.filter(session__cohort=cohort, city_id__in=city_ids)
    rows = answers.values(kind=F("session__kind"), goal=F("session__learning_goal")).annotate(
        count=Count("pk"), usefulness=Sum("usefulness"), will_apply=Sum("will_apply")).order_by()
    by_kind, by_goal = (
        {key: {"count": t["count"], "usefulness": round(t["usefulness"] / t["count"], 1),
               "will_apply": round(t["will_apply"] / t["count"], 1)} for key, t in side.items()}
        for side in _split(rows, ("kind", "goal"), ("count", "usefulness", "will_apply")))
    report.feedback_by_kind = [{"label": str(label), **by_kind[key]} for key, label in Session.Kind.choices
                               if key in by_kind]
    report.feedback_by_goal = [{"label": str(label), **by_goal[key]} for key, label in LearningGoal.choices
                               if key in by_goal]
    if "" in by_goal:
        report.feedback_by_goal.append({"label": _("No learning goal"), **by_goal[""]})
    count = sum(r["count"] for r in by_kind.values())

    def mean(score):
        return round(sum(r[score] * r["count"] for r in by_kind.values()) / count, 1) if count else None

    report.feedback = {"count": count, "usefulness": mean("usefulness"), "will_apply": mean("will_apply")}


def _sentences(report):
    out = []
    for m in report.maturity:
        if m["cities"]:
            out.append(ngettext(
                "%(raised)s of %(cities)s city raised %(component)s by at least one level.",
                "%(raised)s of %(cities)s cities raised %(component)s by at least one level.", m["cities"],
            ) % {"raised": m["raised"], "cities": m["cities"], "component": m["label"].lower()})
    s = report.strategies
    out.append(ngettext("%(approved)s of %(cities)s city has an approved strategy; %(public)s made it public.",
                        "%(approved)s of %(cities)s cities have an approved strategy; %(public)s made it public.",
                        s["cities"]) % s)
    c = report.convening
    if c["held"] and c["cities"]:
        out.append(ngettext("%(compliant)s of %(cities)s mayor was present in person on every required day of "
                            "the convening.",
                            "%(compliant)s of %(cities)s mayors were present in person on every required day of "
                            "the convening.", c["cities"]) % c)
    if report.attendance_total is not None:
        out.append(_("Across the cohort's sessions, %(percent)s%% of marked attendances were present or late.")
                   % {"percent": report.attendance_total})
    k = report.cadence
    out.append(ngettext("%(kept)s of %(cities)s city kept the coaching cadence (a check-in every %(every)s days).",
                        "%(kept)s of %(cities)s cities kept the coaching cadence (a check-in every %(every)s days).",
                        k["cities"]) % k)
    if report.showcases["with_feedback"]:
        out.append(ngettext("%(sustained)s of %(with_feedback)s showcase with feedback shows a practice sustained.",
                            "%(sustained)s of %(with_feedback)s showcases with feedback show a practice sustained.",
                            report.showcases["with_feedback"]) % report.showcases)
    if report.feedback["count"]:
        out.append(ngettext(
            "In %(count)s answer after sessions, attendees rated them %(usefulness)s of 5 for usefulness and "
            "%(will_apply)s of 5 for applying them in their city.",
            "In %(count)s answers after sessions, attendees rated them %(usefulness)s of 5 for usefulness and "
            "%(will_apply)s of 5 for applying them in their city.", report.feedback["count"]) % report.feedback)
    report.sentences = out


def report_cities(cohort):
    """The cohort's cities with whether each has an approved strategy (a published edition) and
    since when it is public, and their stored dashboard rows: one query."""
    published = PublishedEdition.objects.with_scopes_disabled().filter(city=OuterRef("pk"))
    return list(City.objects.filter(cohort=cohort).select_related("dashboard_row")
                .annotate(approved=Exists(published), public_since=F("strategy__public_since")).order_by("name"))


def impact_report(cohort, *, now=None):
    now = now or timezone.now()
    cities = report_cities(cohort)
    ids = [c.pk for c in cities]
    report = ImpactReport(cohort=cohort, cities=cities)
    _maturity(report, ids)
    _strategies(report)
    _convening(report, cohort, now)
    _attendance(report, cohort, ids)
    _cadence(report, cohort, ids, timezone.localdate(now))
    _showcases(report, ids)
    _feedback(report, cohort, ids)
    _sentences(report)
    return report


def impact_charts(report):
    """The report's charts: maturity per component, and attendance by role and by session kind."""
    maturity = bar_chart(
        "impact-maturity", _("Maturity at baseline and at the end, per component"),
        _("For each component, the average self-assessed level from 1 (ad hoc) to 5 (embedded) at the start "
          "(grey) and at the end of the program (blue), over the cities rated at both; the table gives the same "
          "figures."),
        [ChartRow(m["label"], [Bar(m["baseline"] or 0, "#6c757d", _("baseline")), Bar(m["end"] or 0, "#0b3d66",
                                                                                    _("end"))],
                  "—" if m["change"] is None else f'{m["change"]:+g}') for m in report.maturity],
        maximum=5, ticks=(1, 2, 3, 4, 5),
    )

    def rates(chart_id, title, rows):
        return bar_chart(
            chart_id, title,
            _("Share of marked attendances that were present or late; the table gives the same figures."),
            [ChartRow(r["label"], [Bar(r["rate"] or 0, "#1b6e3a")], f'{r["rate"] or 0}%') for r in rows],
            maximum=100, ticks=(0, 25, 50, 75, 100), unit="%",
        )

    feedback = bar_chart(
        "impact-feedback", _("Session feedback by learning goal"),
        _("For each learning goal, attendees' average score from 1 to 5 for how useful its sessions were (blue) "
          "and for applying them in their city (green); the table gives the same figures."),
        [ChartRow(r["label"], [Bar(r["usefulness"], "#0b3d66", _("usefulness")),
                               Bar(r["will_apply"], "#1b6e3a", _("will apply it"))],
                  f'{r["usefulness"]:g} / {r["will_apply"]:g}') for r in report.feedback_by_goal],
        maximum=5, ticks=(1, 2, 3, 4, 5),
    )

    return {
        "feedback": feedback,
        "maturity": maturity,
        "by_role": rates("impact-role", _("Attendance by role"), report.attendance_by_role),
        "by_kind": rates("impact-kind", _("Attendance by kind of session"), report.attendance_by_kind),
    }


def impact_csv_rows(report):
    """Every number of the report as (section, subject, measure, value) rows."""
    # A spreadsheet reads "+1.2" as a formula: the change is written as a plain signed number.
    yield from ((_("Headline"), report.cohort.name, label, value.lstrip("+") if isinstance(value, str) else value)
                for label, value in report.headline())
    for m in report.maturity:
        for key, label in (("baseline", _("average baseline")), ("end", _("average end")), ("change", _("change")),
                           ("raised", _("cities up at least one level")), ("cities", _("cities rated at both"))):
            yield _("Maturity"), m["label"], label, _dash(m[key])
    for row in report.maturity_by_city:
        for component, (baseline, end) in zip(COMPONENTS, row["components"], strict=True):
            yield _("Maturity by city"), row["city"].name, f'{component.title}: {_("baseline")}', _dash(baseline)
            yield _("Maturity by city"), row["city"].name, f'{component.title}: {_("end")}', _dash(end)
    for section, rows in ((_("Attendance by role"), report.attendance_by_role),
                          (_("Attendance by kind of session"), report.attendance_by_kind)):
        for r in rows:
            yield section, r["label"], _("attended / marked"), f'{r["attended"]} / {r["marked"]}'
    for r in report.showcases["rows"]:
        yield _("Showcases"), r["label"], _("showcases"), r["count"]
    for section, rows in ((_("Session feedback by kind of session"), report.feedback_by_kind),
                          (_("Session feedback by learning goal"), report.feedback_by_goal)):
        for r in rows:
            yield section, r["label"], _("answers"), r["count"]
            yield section, r["label"], _("usefulness (1–5)"), r["usefulness"]
            yield section, r["label"], _("will apply it (1–5)"), r["will_apply"]

