"""Reads for the strategy pages. `plan_tree` turns a plan into plain, JSON-friendly data in a
fixed number of queries; the plan page, the print view, the Word export and the frozen
published editions all render from it."""

from decimal import Decimal
from types import SimpleNamespace

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django_scopes import scopes_disabled

from accelerator.prepared import PreparedQuery
from cohorts.models import Role

from .guide import COMPONENTS, COMPONENTS_BY_KIND, TEXT_SECTIONS, quarter_label
from .models import (
    Action,
    Comment,
    CommentThread,
    Component,
    Goal,
    MaturityRating,
    Measure,
    Revision,
    Section,
    Strategy,
)
from .progress import plan_progress
from .services.units import unit_anchor

# Stands for the city in the queries compiled once per process below (accelerator.prepared).
_CITY = -7_304_001


def _plan_of(city):
    with scopes_disabled():  # the city is the query's own filter
        return Strategy.objects.filter(city_id=city).select_related("last_changed_by").order_by("pk")[:1]


_plan_of_city = PreparedQuery(_plan_of, city=_CITY)


def strategy_for(city):
    """The city's plan, created with its empty sections and components the first time anyone looks."""
    found = _plan_of_city(city=city.pk)
    return found[0] if found else new_strategy(city)


def new_strategy(city):
    """`strategy_for` once a read found no plan: it is made now (or read, if another request just
    made it)."""
    try:
        with transaction.atomic():
            strategy = Strategy.objects.create(city=city)
            sections = Section.objects.bulk_create(
                [Section(city=city, strategy=strategy, key=key) for key in TEXT_SECTIONS])
            components = Component.objects.bulk_create(
                [Component(city=city, strategy=strategy, kind=c.kind) for c in COMPONENTS])
    except IntegrityError:  # another request created it first
        return Strategy.objects.filter(city=city).select_related("last_changed_by").get()
    # A plan made just now has nothing but these units (no goals, comments or editions yet), so
    # its pages need not read them back.
    strategy.new_units = (sections, components)
    return strategy


def number_text(value):
    if value is None:
        return ""
    value = Decimal(value)
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}".rstrip("0")


def _unit(kind, obj):
    return {"kind": kind, "code": obj.code, "version": obj.version, "anchor": unit_anchor(kind, obj.code)}


def _shared(obj):
    """Whether the team shares this goal, action or measure with its cohort (the plan page's toggle)."""
    return {"shared": obj.shared_at is not None, "learning_goal": obj.shared_learning_goal}


def plan_tree(strategy):
    """The plan as nested dicts, read in three queries whatever its size."""
    return plan_trees([strategy])[strategy.pk]


def page_tree(strategy):
    """`plan_tree` for a page that only reads: a plan made in this very request (by
    `strategy_for`) holds nothing but its empty units, so it is not read back."""
    new_units = getattr(strategy, "new_units", None)
    if new_units is not None:
        return _trees([strategy], *new_units, goals=(), actions=(), measures=())[strategy.pk]
    return plan_tree(strategy)


def decorate(tree):
    """Add the guide's words to a tree, translated now: not stored, so a frozen edition reads in
    the viewer's language; plain strings, so a decorated tree is cheap to cache per language."""
    for key, section in tree["sections"].items():
        guide = TEXT_SECTIONS[key]
        section.update(label=str(guide.label), prompt=str(guide.prompt), example=str(guide.example))
    for component in tree["components"]:
        guide = COMPONENTS_BY_KIND[component["key"]]
        level = guide.level(component["level"])
        component.update(
            title=str(guide.title), question=str(guide.question), purpose=str(guide.purpose),
            example_goals=[str(goal) for goal in guide.example_goals], level_name=str(level.name) if level else "",
            level_description=str(level.description) if level else "",
        )
    tree["actions"] = [
        {**action, "component": component["title"], "goal": goal["title"]}
        for component in tree["components"] for goal in component["goals"] for action in goal["actions"]
    ]
    return tree


def open_threads_by_part(strategy):
    """{part: [open thread, …]} with their comments, for the plan page to show beside each part
    (and count): two queries, one when there is none."""
    if getattr(strategy, "new_units", None) is not None:
        return {}
    grouped = {}
    threads = (strategy.threads.filter(city_id=strategy.city_id, resolved_at__isnull=True)
               .select_related("started_by").order_by("created_at")
               .prefetch_related(Prefetch("comments", queryset=Comment.objects.select_related("author"))))
    for thread in threads:
        grouped.setdefault(thread.part, []).append(thread)
    return grouped


# The comments page's two reads, compiled once (accelerator.prepared); the city is in each statement.
_PLAN_THREADS = PreparedQuery(
    lambda city: CommentThread.objects.with_scopes_disabled().filter(city_id=city)
    .select_related("started_by", "resolved_by").order_by("resolved_at", "created_at"), city=-7_000_031)
_PLAN_COMMENTS = PreparedQuery(
    lambda city: Comment.objects.with_scopes_disabled().filter(city_id=city).select_related("author")
    .order_by("thread_id", "created_at", "pk"), city=-7_000_031)


def plan_threads(city):
    """Every comment thread on `city`'s plan (its one plan), open ones first, each with its
    `comment_list` in order: one query, two when there are threads."""
    threads = _PLAN_THREADS(city=city.pk)
    if threads:
        by_thread = {}
        for comment in _PLAN_COMMENTS(city=city.pk):
            by_thread.setdefault(comment.thread_id, []).append(comment)
        for thread in threads:
            thread.comment_list = by_thread.get(thread.pk, [])
    return threads


_MATURITY_RATINGS = PreparedQuery(
    lambda city: MaturityRating.objects.with_scopes_disabled().filter(city_id=city).select_related("rated_by")
    .order_by(), city=-7_000_032)


def maturity_ratings(city):
    """{component: {phase: rating}} for every component: one query, compiled once."""
    result = {c.kind: {} for c in COMPONENTS}
    for rating in _MATURITY_RATINGS(city=city.pk):
        result.setdefault(rating.component, {})[rating.phase] = rating
    return result


def latest_edition(strategy):
    """The last approved edition: there is one only once a plan was published (and amended since)."""
    if strategy.status != Strategy.Status.PUBLISHED and strategy.edition == 1:
        return None
    return strategy.editions.filter(city_id=strategy.city_id).select_related("approved_by").first()


def revisions(city):
    """The saved changes to `city`'s plan (a city has one plan, so its city is enough to find them)."""
    return Revision.objects.filter(city=city).select_related("actor")


def plan_trees(strategies):
    """{strategy pk: tree} for many plans in the three queries one plan takes."""
    strategies = list(strategies)
    city_ids = [s.city_id for s in strategies]

    def owned(model):
        return model.objects.filter(city_id__in=city_ids, strategy__in=[s.pk for s in strategies])

    return _trees(strategies, owned(Section), owned(Component), **_goals_actions_measures(owned(Goal)))


# Goals, their actions and the actions' measures come in one query of LEFT JOINs (a row per
# measure, or per action without one, or per goal without any): {row name: attribute}.
_GOAL = {"id": "id", "strategy": "strategy_id", "component": "component_id", "code": "code", "version": "version",
         "shared_at": "shared_at", "shared_learning_goal": "shared_learning_goal", "title": "title",
         "description": "description"}
_ACTION = {"id": "id", "goal": "goal_id", "code": "code", "version": "version", "shared_at": "shared_at",
           "shared_learning_goal": "shared_learning_goal", "what": "what", "owner": "owner",
           "owner_member": "owner_member_id", "owner_member__user__full_name": "owner_name",
           "owner_member__role": "owner_role", "owner_member__title": "owner_title", "start_quarter": "start_quarter",
           "end_quarter": "end_quarter", "milestones": "milestones", "resources": "resources", "status": "status"}
_MEASURE = {"id": "id", "action": "action_id", "code": "code", "version": "version", "shared_at": "shared_at",
            "shared_learning_goal": "shared_learning_goal", "name": "name", "baseline": "baseline",
            "target": "target", "unit": "unit", "by_quarter": "by_quarter"}


def _goals_actions_measures(goals):
    paths = [*_GOAL, *(f"actions__{name}" for name in _ACTION), *(f"actions__measures__{name}" for name in _MEASURE)]
    rows = goals.order_by("position", "pk", "actions__position", "actions__pk", "actions__measures__position",
                          "actions__measures__pk").values_list(*paths)
    found = {"goals": {}, "actions": {}, "measures": {}}
    parts = [("goals", _GOAL, 0), ("actions", _ACTION, len(_GOAL)), ("measures", _MEASURE, len(_GOAL) + len(_ACTION))]
    for row in rows:
        for key, names, start in parts:
            pk = row[start]
            if pk is None or pk in found[key]:
                continue
            found[key][pk] = SimpleNamespace(**{attr: row[start + i] for i, attr in enumerate(names.values())})
    for action in found["actions"].values():
        action.owner_label = _owner_label(action)
    return {key: units.values() for key, units in found.items()}


def _owner_label(action):
    """What the plan calls an action's owner: the team member (name and role), their own words, or both."""
    member = ""
    if action.owner_member_id is not None:
        role = action.owner_title if action.owner_role == Role.OTHER and action.owner_title else None
        role = role or dict(Role.choices).get(action.owner_role, action.owner_role)  # as Membership.role_label
        member = f"{action.owner_name} ({role})"
    return " — ".join(p for p in (member, action.owner) if p)


def _trees(strategies, sections, components, *, goals, actions, measures):
    trees = {s.pk: {"edition": s.edition, "status": s.status, "sections": {}, "components": []} for s in strategies}
    for s in sections:
        trees[s.strategy_id]["sections"][s.key] = {
            **_unit("section", s), "key": s.key, "text": s.text,
            "lines": [line.strip(" -•\t") for line in s.text.splitlines() if line.strip(" -•\t")]}
    measures_by_action = {}
    for m in measures:
        measures_by_action.setdefault(m.action_id, []).append({
            **_unit("measure", m), **_shared(m), "name": m.name, "baseline": number_text(m.baseline),
            "target": number_text(m.target), "unit": m.unit, "by": m.by_quarter or 0,
            "by_label": quarter_label(m.by_quarter),
        })
    actions_by_goal = {}
    for a in actions:
        actions_by_goal.setdefault(a.goal_id, []).append({
            **_unit("action", a), **_shared(a), "what": a.what, "owner": a.owner,
            "owner_display": a.owner_label,
            "start": a.start_quarter or 0, "end": a.end_quarter or 0,
            "start_label": quarter_label(a.start_quarter), "end_label": quarter_label(a.end_quarter),
            "milestones": a.milestones, "resources": a.resources,
            "status": a.status, "status_label": str(Action.Status(a.status).label),
            "measures": measures_by_action.get(a.id, []),
        })
    goals_by_component = {}
    for g in goals:
        goals_by_component.setdefault(g.component_id, []).append({
            **_unit("goal", g), **_shared(g), "title": g.title, "description": g.description,
            "actions": actions_by_goal.get(g.id, []),
        })
    order = {c.kind: i for i, c in enumerate(COMPONENTS)}
    for c in sorted(components, key=lambda c: (c.strategy_id, order[c.kind])):
        trees[c.strategy_id]["components"].append({
            **_unit("component", c), "key": c.kind, "level": c.current_level or 0,
            "state": c.current_state, "goals": goals_by_component.get(c.pk, []),
        })
    return trees


def dashboard_columns(city_ids):
    """The strategy columns of the cohort dashboard, {city_id: {...}}, in a fixed number of
    queries: the plan's state and completeness, completeness per plan part (from the same checks
    as the plan's meter), and maturity per component at baseline and latest (the end-of-program
    rating, else the level the plan gives today)."""
    city_ids = list(city_ids)
    strategies = list(Strategy.objects.filter(city_id__in=city_ids))
    trees = plan_trees(strategies)
    columns = {pk: {"strategy": None, "parts": {}, "missing": {}, "maturity": {}} for pk in city_ids}
    levels_today = {}
    for strategy in strategies:
        tree = trees[strategy.pk]
        column = columns[strategy.city_id]
        column["strategy"] = strategy
        if len(tree["sections"]) == len(TEXT_SECTIONS):
            progress = plan_progress(tree)
            column["parts"] = {p.key: p.percent for p in progress}
            # What the city home lists as missing: how many things per part, and where the first is.
            column["missing"] = {p.key: [len(p.missing), p.missing[0][1]] for p in progress if p.missing}
        levels_today[strategy.city_id] = {c["key"]: c["level"] for c in tree["components"] if c["level"]}
    ratings = {}
    for rating in MaturityRating.objects.filter(city_id__in=city_ids).only("city_id", "component", "phase", "level"):
        ratings.setdefault(rating.city_id, {}).setdefault(rating.component, {})[rating.phase] = rating.level
    for pk in city_ids:
        maturity = {}
        for component in COMPONENTS:
            phases = ratings.get(pk, {}).get(component.kind, {})
            latest = phases.get("end") or levels_today.get(pk, {}).get(component.kind)
            maturity[component.kind] = {"baseline": phases.get("baseline"), "latest": latest,
                                        "final": "end" in phases}
        columns[pk]["maturity"] = maturity
    return columns


def cohort_shared_items(city):
    """What the other cities of `city`'s cohort shared with it: {component kind: {learning goal:
    [item]}}, in plan order. It reads other cities' rows on purpose, so it opens their scope here,
    visibly, and asks only for rows their teams shared; a removed unit is simply gone."""
    from django_scopes import scope

    from cohorts.models import City

    from .guide import LEARNING_GOAL_CHOICES

    others = {c.pk: c for c in City.objects.filter(cohort_id=city.cohort_id).exclude(pk=city.pk).order_by("name")}
    ids = list(others)
    items = []
    with scope(city=ids):
        for g in Goal.objects.filter(city_id__in=ids, shared_at__isnull=False).select_related("component"):
            items.append({"kind": "goal", "component": g.component.kind, "city_id": g.city_id, "text": g.title,
                          "detail": g.description, "learning_goal": g.shared_learning_goal, "code": g.code})
        for a in Action.objects.filter(city_id__in=ids, shared_at__isnull=False).select_related("goal__component"):
            items.append({"kind": "action", "component": a.goal.component.kind, "city_id": a.city_id,
                          "text": a.what, "goal": a.goal.title, "learning_goal": a.shared_learning_goal,
                          "code": a.code, "start_label": quarter_label(a.start_quarter),
                          "end_label": quarter_label(a.end_quarter), "status_label": a.get_status_display(),
                          "milestones": a.milestones})
        for m in Measure.objects.filter(city_id__in=ids, shared_at__isnull=False).select_related(
                "action__goal__component"):
            items.append({"kind": "measure", "component": m.action.goal.component.kind, "city_id": m.city_id,
                          "text": m.name, "action": m.action.what, "learning_goal": m.shared_learning_goal,
                          "code": m.code, "baseline": number_text(m.baseline), "target": number_text(m.target),
                          "unit": m.unit, "by_label": quarter_label(m.by_quarter)})
    from .public import public_city_ids

    public = public_city_ids({item["city_id"] for item in items}) if items else set()
    goal_labels = dict(LEARNING_GOAL_CHOICES)
    kind_order = {"goal": 0, "action": 1, "measure": 2}
    grouped = []
    for component in COMPONENTS:
        mine = [dict(item, city=others[item["city_id"]], public=item["city_id"] in public)
                for item in items if item["component"] == component.kind]
        mine.sort(key=lambda item: (item["city"].name, kind_order[item["kind"]]))
        by_goal = [(label, [i for i in mine if i["learning_goal"] == key]) for key, label in LEARNING_GOAL_CHOICES]
        untagged = [i for i in mine if i["learning_goal"] not in goal_labels]
        grouped.append({"component": component, "count": len(mine),
                        "by_learning_goal": [(label, rows) for label, rows in by_goal if rows]
                        + ([(None, untagged)] if untagged else [])})
    return grouped
