"""The strategy guide: what a city's data strategy holds, with prompts, examples and the five
maturity levels of each component. Teams read this text on the page, so it is written for city
staff. Every string is translatable."""

from dataclasses import dataclass, field

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

YEARS = 3
QUARTERS = YEARS * 4  # Y1 Q1 … Y3 Q4, numbered 1 … 12


def quarter_label(number):
    """Y1 Q1 … Y3 Q4: the year of the plan and the quarter within it."""
    if not number:
        return ""
    year, quarter = divmod(int(number) - 1, 4)
    return gettext("Y%(year)d Q%(quarter)d") % {"year": year + 1, "quarter": quarter + 1}


QUARTER_CHOICES = [(n, lazy(quarter_label, str)(n)) for n in range(1, QUARTERS + 1)]


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    description: str


@dataclass(frozen=True)
class ComponentGuide:
    kind: str
    title: str
    question: str
    purpose: str
    levels: tuple
    example_goals: tuple

    def level(self, number):
        return next((lvl for lvl in self.levels if lvl.number == number), None)


COMPONENTS = (
    ComponentGuide(
        "governance", _("Data governance"), _("Who decides what about data"),
        _("Clear ownership, decision rights, policies and accountability for the city's data."),
        (
            Level(1, _("Ad hoc"), _("No named owners; every dataset is handled case by case.")),
            Level(2, _("Emerging"), _("A data lead is named; some policies drafted; an inventory has started.")),
            Level(3, _("Defined"),
                  _("A governance group meets on a schedule; core policies adopted; key datasets have named "
                    "stewards.")),
            Level(4, _("Managed"),
                  _("Policies are applied and reviewed; sharing agreements and privacy reviews are routine; "
                    "stewardship is part of job descriptions.")),
            Level(5, _("Embedded"),
                  _("Governance is how every department works; it is reviewed yearly and explained to residents.")),
        ),
        (
            _("Set up a cross-department data governance group"),
            _("Adopt a citywide data policy"),
            _("Inventory high-value datasets with a steward for each"),
            _("A standard data-sharing agreement"),
            _("A privacy review for every new system that holds resident data"),
        ),
    ),
    ComponentGuide(
        "quality", _("Data quality"), _("Data fit for the decisions it informs"),
        _("Data that is accurate, complete, timely, consistent and documented."),
        (
            Level(1, _("Ad hoc"), _("Problems are found by accident, fixed by whoever notices.")),
            Level(2, _("Emerging"), _("A few datasets have definitions; known problems are listed.")),
            Level(3, _("Defined"),
                  _("Priority datasets have quality standards, data dictionaries and an owner who fixes issues.")),
            Level(4, _("Managed"), _("Automated checks run on priority datasets; quality is measured and reported.")),
            Level(5, _("Embedded"),
                  _("Quality is designed into collection; shared reference data (addresses, locations) is used "
                    "everywhere.")),
        ),
        (
            _("Quality standards and dictionaries for the datasets behind the mayor's priorities"),
            _("Automated validation on intake"),
            _("A way for staff to report and track data problems"),
            _("One shared address and location reference"),
        ),
    ),
    ComponentGuide(
        "use", _("Data use"), _("Decisions informed by evidence"),
        _("Data and evidence shape budgets, operations and policy."),
        (
            Level(1, _("Ad hoc"), _("Data is pulled for one-off requests.")),
            Level(2, _("Emerging"), _("Some departments track performance; analysis depends on a few people.")),
            Level(3, _("Defined"), _("A regular performance routine reviews the mayor's priorities with data.")),
            Level(4, _("Managed"),
                  _("Analytics and evaluation inform budget and program decisions; managers are trained.")),
            Level(5, _("Embedded"),
                  _("Leaders at every level ask for evidence before deciding; results feed back into the next "
                    "decision.")),
        ),
        (
            _("A monthly performance routine for the mayor's priorities"),
            _("Data-literacy training for managers"),
            _("An analytics team or shared service"),
            _("An evaluation of one major program"),
            _("Data in the budget process"),
        ),
    ),
    ComponentGuide(
        "transparency", _("Transparency"), _("Data the public can see, use and question"),
        _("Residents and partners can find the city's data and understand its results."),
        (
            Level(1, _("Ad hoc"), _("Data is released on request only.")),
            Level(2, _("Emerging"), _("Some datasets are published; no policy or schedule.")),
            Level(3, _("Defined"),
                  _("An open-data policy and a publication schedule; progress on priorities is public.")),
            Level(4, _("Managed"), _("Datasets come with documentation; residents are asked what to publish and how.")),
            Level(5, _("Embedded"),
                  _("Publishing is the default; results are explained in plain language and the main languages "
                    "residents speak.")),
        ),
        (
            _("Adopt an open-data policy"),
            _("Publish progress on the mayor's priorities"),
            _("Involve residents in choosing measures"),
            _("Publish in the languages residents use"),
            _("A feedback channel on published data"),
        ),
    ),
)
COMPONENT_KINDS = [c.kind for c in COMPONENTS]
COMPONENTS_BY_KIND = {c.kind: c for c in COMPONENTS}
COMPONENT_CHOICES = [(c.kind, c.title) for c in COMPONENTS]
LEVEL_CHOICES = [(n, str(n)) for n in range(1, 6)]


@dataclass(frozen=True)
class Prompt:
    label: str
    prompt: str
    example: str = ""


# The plan's free-text sections, in the order they appear.
TEXT_SECTIONS = {
    "vision": Prompt(
        _("Three-year vision"),
        _("Where the city wants its use of data to be in three years, in a few sentences a resident could understand."),
        _("In three years every resident can see how the city is doing on the outcomes they care about, and every "
          "department decides where to spend the next dollar with shared, trusted data."),
    ),
    "priorities": Prompt(
        _("The mayor's priorities for resident impact"),
        _("Two to five outcomes the mayor set at the convening, one per line."),
        _("Faster permit approvals\nFewer traffic deaths\nShorter waits for housing assistance"),
    ),
    "people": Prompt(
        _("People"),
        _("Attract new data talent, grow and keep the staff the city has (training, career paths), "
          "and name who leads."),
        _("Hire two analysts into a shared analytics service; a data-literacy course for every manager; the chief "
          "data officer leads and reports to the city manager."),
    ),
    "practices": Prompt(
        _("Practices"),
        _("The routines that make data part of the work: performance reviews, evaluation, data-sharing agreements."),
        _("A monthly performance review of the mayor's priorities; one program evaluation a year; a standard "
          "data-sharing agreement for every department."),
    ),
    "platforms": Prompt(
        _("Platforms"),
        _("The technology to invest in, in the order that serves the goals above."),
        _("First a dataset inventory and a shared address reference, then a small data warehouse for the priority "
          "datasets, then a public dashboard."),
    ),
    "engagement": Prompt(
        _("Engaging staff and residents"),
        _("How staff and residents are engaged in the work and told about its results."),
        _("Quarterly all-staff updates from the mayor; resident panels in each district choose the measures we "
          "publish; results posted in plain language in English and Spanish."),
    ),
    "evaluation": Prompt(
        _("Evaluating and sustaining progress"),
        _("How progress is evaluated, and which policies and standards keep the work going after the program ends."),
        _("The governance group reviews this plan every six months; the data policy and the open-data policy are "
          "adopted by council so they outlast any one administration."),
    ),
}
SECTION_CHOICES = [(key, p.label) for key, p in TEXT_SECTIONS.items()]

# The plan's parts as a reader sees them: used for the completeness meter and comment threads.
PLAN_PARTS = [
    ("vision", _("Three-year vision")),
    ("priorities", _("Mayor's priorities")),
    *[(c.kind, c.title) for c in COMPONENTS],
    ("people_practices_platforms", _("People, practices and platforms")),
    ("engagement", _("Engaging staff and residents")),
    ("evaluation", _("Evaluating and sustaining progress")),
]
PLAN_PART_LABELS = dict(PLAN_PARTS)
PLAN_PART_CHOICES = PLAN_PARTS


def part_of_section(key):
    return "people_practices_platforms" if key in ("people", "practices", "platforms") else key


COMPONENT_PROMPT = Prompt(
    _("Where the city stands today"),
    _("Pick the maturity level that fits best, then say in a few sentences what you see today."),
    _("A data lead was named last year and an inventory of datasets has started in three departments, but no "
      "policy has been adopted and most datasets have no named steward."),
)
GOAL_PROMPT = Prompt(
    _("Goal"),
    _("A goal names a change you want within the three years. Adopt or adapt an example goal."),
)
ACTION_PROMPT = Prompt(
    _("Action"),
    _("What will be done, by whom, between which quarters. A good action is small enough to start next quarter."),
    _("Convene the data governance group and agree its charter"),
)
MEASURE_PROMPT = Prompt(
    _("Measure"),
    _("What is counted, its baseline, target, unit and by when. A good measure is something the city already "
      "counts or can start counting cheaply."),
    _("Median days to approve a residential permit: baseline 45, target 20, days, by Y2 Q4"),
)
FIELD_HELP = {
    "owner": _("A role or a person on the team or in a department."),
    "milestones": _("The visible steps on the way, one per line."),
    "resources": _("People, money or tools the action needs."),
}
LEARNING_GOALS = (
    _("Lead confidently with data"),
    _("Invest in the right people, practices and platforms"),
    _("Empower people to be part of the solution"),
)
# The same three, keyed as the program calendar keys its sessions.
LEARNING_GOAL_CHOICES = list(zip(("lead", "invest", "empower"), LEARNING_GOALS, strict=True))


@dataclass
class PartProgress:
    key: str
    label: str
    done: int = 0
    total: int = 0
    missing: list = field(default_factory=list)

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0
