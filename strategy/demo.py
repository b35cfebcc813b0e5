"""Demo strategies at different stages: every 2024 city finished the program with a published plan
and both maturity self-assessments (Louisville has since started amending its plan), and in the
current cohort a draft with coach comments (Curitiba),
a submitted plan (Santiago), changes requested (Panama City), endorsed and waiting for the mayor
(Montevideo) and an early draft (Richmond). Written through the services, so every change has
its revision and every step its audit record. A city whose plan already has revisions is left
alone, so loading twice changes nothing."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accelerator.models import AuditEvent
from cohorts.models import Membership, Role

from .models import Comment, CommentThread, MaturityRating, PublishedEdition, Revision, Strategy
from .selectors import strategy_for
from .services.comments import thread_reply, thread_resolve, thread_start
from .services.editing import unit_create, unit_save
from .services.maturity import maturity_rate
from .services.publishing import strategy_set_public
from .services.review import TRANSITIONS, strategy_transition
from .services.sharing import unit_share

# component: (level today, current state, [(goal, [(action, owner role, start, end, status, milestones,
#             resources, [(measure, baseline, target, unit, by)])])])
COMPONENT_PLANS = {
    "governance": (2, "A chief data officer was named last year and an inventory of datasets has started in three "
                      "departments. No citywide data policy has been adopted and most datasets have no named "
                      "steward.", [
        ("Set up a cross-department data governance group", [
            ("Convene the governance group and agree its charter", Role.CITY_MANAGER, 1, 2, "done",
             "Members named\nCharter signed by the city manager", "Staff time; no new budget",
             [("Governance meetings held on schedule", 0, 10, "meetings", 4)]),
            ("Name a steward for each high-value dataset", Role.CHIEF_DATA_OFFICER, 2, 5, "on_track",
             "Inventory of high-value datasets\nStewards named in job descriptions", "0.5 FTE analyst",
             [("High-value datasets with a named steward", 4, 40, "datasets", 5)]),
        ]),
        ("Adopt a citywide data policy", [
            ("Draft the data policy with legal and IT", Role.POLICY, 2, 4, "at_risk",
             "First draft\nLegal review\nCouncil briefing", "Outside counsel, $15,000",
             [("Departments that signed the policy", 0, 12, "departments", 6)]),
        ]),
    ]),
    "quality": (1, "Problems in permit and crash data are found by accident, usually when a report looks wrong. "
                   "There are no data dictionaries for the datasets behind the mayor's priorities.", [
        ("Quality standards and dictionaries for the priority datasets", [
            ("Write data dictionaries for permits and traffic crashes", Role.CHIEF_DATA_OFFICER, 2, 4, "on_track",
             "Permits dictionary\nCrash data dictionary", "Two analysts, one quarter each",
             [("Priority datasets with a published dictionary", 0, 6, "datasets", 4)]),
            ("Automated validation on permit intake", Role.CHIEF_DATA_OFFICER, 4, 7, "not_started",
             "Validation rules agreed\nRules live in the permit system", "Vendor change order, $40,000",
             [("Permit records failing validation", 18, 3, "%", 8)]),
        ]),
    ]),
    "use": (2, "Public works and police track performance, but analysis depends on two people and the mayor's "
               "priorities are not reviewed with data on a schedule.", [
        ("A monthly performance routine for the mayor's priorities", [
            ("Launch a monthly performance review chaired by the mayor", Role.MAYOR, 1, 3, "on_track",
             "First review\nDashboard for each priority", "Performance analyst",
             [("Median days to approve a residential permit", 45, 20, "days", 8)]),
            ("Data-literacy training for every manager", Role.CITY_MANAGER, 3, 8, "not_started",
             "Course designed\nFirst cohort of managers trained", "$25,000 for the course",
             [("Managers who completed the course", 0, 80, "%", 8)]),
        ]),
    ]),
    "transparency": (2, "Some datasets are on the open-data portal, but there is no policy or schedule and progress "
                        "on priorities is not public.", [
        ("Publish progress on the mayor's priorities", [
            ("Publish a public dashboard of the priorities", Role.COMMUNICATIONS, 3, 6, "not_started",
             "Measures chosen with resident panels\nDashboard live in English and Spanish", "Web team time",
             [("Priority measures published and updated monthly", 0, 5, "measures", 6)]),
        ]),
        ("Adopt an open-data policy", [
            ("Take an open-data policy to council", Role.POLICY, 4, 6, "not_started",
             "Policy drafted\nCouncil vote", "Staff time",
             [("Datasets published with documentation", 12, 60, "datasets", 10)]),
        ]),
    ]),
}

SECTION_TEXT = {
    "people": "Hire two analysts into a shared analytics service reporting to the chief data officer; a data-literacy "
              "course for every manager; a data career path in the classification plan so we keep the people we grow.",
    "practices": "A monthly performance review of the mayor's priorities; one program evaluation a year; a standard "
                 "data-sharing agreement for every department and a privacy review for new systems.",
    "platforms": "First a dataset inventory and a shared address reference; then a small warehouse for the priority "
                 "datasets; then a public dashboard. No new platform before a steward owns its data.",
    "engagement": "Quarterly all-staff updates from the mayor; resident panels in each district choose the measures we "
                  "publish; results posted in plain language in the languages residents speak.",
    "evaluation": "The governance group reviews this plan every six months against its measures; the data policy and "
                  "the "
                  "open-data policy are adopted by council so they outlast any one administration.",
}

CITIES = {
    # slug: (stage, vision, priorities, how much is written, baseline maturity, end maturity)
    "tulsa": ("published",
              "By the end of 2027 every Tulsan can see how the city is doing on the outcomes they care about, and "
              "every "
              "department decides where to spend the next dollar with shared, trusted data.",
              "Faster permit approvals\nFewer traffic deaths\nShorter waits for housing assistance", "all",
              {"governance": 2, "quality": 1, "use": 2, "transparency": 2},
              {"governance": 3, "quality": 3, "use": 3, "transparency": 3}),
    "louisville": ("amending",
                   "Louisville uses data to close gaps between neighborhoods: every investment is checked against who "
                   "it reaches, and residents can see the results.",
                   "Safer streets in the West End\nFaster response to 311 requests\nMore affordable homes", "all",
                   {"governance": 2, "quality": 2, "use": 2, "transparency": 1},
                   {"governance": 3, "quality": 3, "use": 4, "transparency": 3}),
    "phoenix": ("published",
                "Phoenix residents can see, in plain language and in Spanish and English, whether the city is keeping "
                "its promises on heat safety, water and housing.",
                "Fewer heat-related deaths\nFaster affordable-housing permits\nShorter 911 answer times", "all",
                {"governance": 2, "quality": 2, "use": 3, "transparency": 2},
                {"governance": 3, "quality": 3, "use": 4, "transparency": 3}),
    "halifax": ("published",
                "Halifax manages its data as a shared municipal asset, so every service decision can be traced to "
                "evidence residents can read.",
                "Shorter transit waits\nMore housing starts\nFaster snow clearing on priority routes", "all",
                {"governance": 1, "quality": 2, "use": 2, "transparency": 2},
                {"governance": 3, "quality": 3, "use": 3, "transparency": 3}),
    "guadalajara": ("published",
                    "En tres años Guadalajara decide con datos compartidos y confiables, y la ciudadanía ve el avance "
                    "de cada prioridad del alcalde.",
                    "Menos tiempo de traslado en transporte público\nMenos robos en la vía pública\nCalles más limpias",
                    "all", {"governance": 2, "quality": 1, "use": 2, "transparency": 2},
                    {"governance": 3, "quality": 2, "use": 3, "transparency": 4}),
    "merida": ("published",
               "Mérida usa sus datos para que cada colonia reciba servicios a tiempo, y lo cuenta en español "
               "y en maya.",
               "Agua potable sin interrupciones\nTrámites de licencias más rápidos", "all",
               {"governance": 1, "quality": 1, "use": 1, "transparency": 2},
               {"governance": 2, "quality": 2, "use": 3, "transparency": 3}),
    "guatemala-city": ("published",
                       "La Ciudad de Guatemala publica lo que mide y usa la evidencia para decidir dónde invertir en "
                       "seguridad vial y agua.",
                       "Menos muertes en las calles\nMás hogares con agua todos los días", "all",
                       {"governance": 1, "quality": 2, "use": 1, "transparency": 1},
                       {"governance": 2, "quality": 3, "use": 2, "transparency": 3}),
    "san-jose": ("published",
                 "San José toma decisiones con datos abiertos y de calidad, y rinde cuentas cada trimestre a sus "
                 "vecinos.",
                 "Permisos de construcción en la mitad del tiempo\nMenos residuos sin recolectar", "all",
                 {"governance": 2, "quality": 2, "use": 2, "transparency": 3},
                 {"governance": 3, "quality": 3, "use": 3, "transparency": 4}),
    "bogota": ("published",
               "En tres años Bogotá gobierna sus datos como un bien público: cada decisión de inversión se apoya en "
               "evidencia y cada resultado se publica.",
               "Menos muertes por siniestros viales\nViajes más cortos en TransMilenio\nMás cupos de cuidado infantil",
               "all", {"governance": 3, "quality": 2, "use": 3, "transparency": 3},
               {"governance": 4, "quality": 3, "use": 4, "transparency": 4}),
    "quito": ("published",
              "Quito conoce y muestra si sus servicios llegan a todas las parroquias por igual.",
              "Menos tiempo de respuesta de emergencias\nMás barrios con recolección diaria", "all",
              {"governance": 1, "quality": 1, "use": 2, "transparency": 1},
              {"governance": 2, "quality": 2, "use": 3, "transparency": 2}),
    "recife": ("published",
               "Em três anos, Recife usa dados confiáveis para proteger os bairros das enchentes e mostra os "
               "resultados "
               "a cada morador.",
               "Menos áreas alagadas após chuvas fortes\nMenos tempo de espera nas unidades de saúde", "all",
               {"governance": 2, "quality": 2, "use": 2, "transparency": 2},
               {"governance": 3, "quality": 3, "use": 3, "transparency": 3}),
    "cordoba": ("published",
                "Córdoba decide con evidencia y publica en lenguaje claro cómo avanza cada compromiso del intendente.",
                "Transporte urbano más puntual\nMás espacios verdes por barrio", "all",
                {"governance": 2, "quality": 1, "use": 2, "transparency": 2},
                {"governance": 3, "quality": 2, "use": 3, "transparency": 3}),
    "curitiba": ("draft_comments",
                 "Em três anos, Curitiba decide com dados confiáveis e compartilhados, e cada morador acompanha os "
                 "resultados das prioridades da prefeita.",
                 "Menos tempo de espera nas unidades de saúde\nTransporte público mais pontual", "most",
                 {"governance": 2, "quality": 2, "use": 3, "transparency": 2}, None),
    "santiago": ("submitted",
                 "En tres años, Santiago usa datos compartidos y confiables para decidir, y los vecinos pueden ver y "
                 "cuestionar los resultados.",
                 "Menos delitos en espacios públicos\nPermisos más rápidos\nCalles más limpias", "all",
                 {"governance": 1, "quality": 2, "use": 2, "transparency": 2}, None),
    "panama-city": ("changes_requested",
                    "Panama City will publish what it measures and use it to improve how quickly residents get "
                    "services.",
                    "Faster garbage collection\nLess flooding in low-lying neighborhoods", "all",
                    {"governance": 1, "quality": 1, "use": 1, "transparency": 2}, None),
    "montevideo": ("endorsed",
                   "Montevideo será una ciudad donde cada decisión importante se apoya en evidencia y cada resultado "
                   "se publica en lenguaje claro.",
                   "Menos tiempo de viaje en ómnibus\nMás vivienda asequible\nBarrios más seguros", "all",
                   {"governance": 2, "quality": 2, "use": 2, "transparency": 3}, None),
    "richmond": ("early", "Richmond will know, and show, whether its services reach every neighborhood fairly.",
                 "", "vision", {"governance": 1, "quality": 2, "use": 1, "transparency": 1}, None),
}


# The mayors who made their approved plan public, and what some teams shared with their cohort.
PUBLIC_CITIES = {"tulsa"}
SHARED = {
    "tulsa": [("action", "Launch a monthly performance review chaired by the mayor", "lead"),
              ("measure", "Median days to approve a residential permit", "lead")],
    "bogota": [("goal", "Adopt a citywide data policy", "invest")],
    "santiago": [("action", "Write data dictionaries for permits and traffic crashes", "invest")],
    "montevideo": [("action", "Publish a public dashboard of the priorities", "empower")],
}


def _find_shared(city, kind, text):
    field = {"goal": "title", "action": "what", "measure": "name"}[kind]
    related = {"goal": city.strategy_goals, "action": city.strategy_actions, "measure": city.strategy_measures}[kind]
    return related.filter(**{field: text}).first()


def _team(city):
    members = {m.role: m for m in Membership.objects.filter(city=city).select_related("user")}
    writers = [m.user for m in members.values() if m.role != Role.MAYOR] or [members[Role.MAYOR].user]
    return members, writers


def _write_plan(city, strategy, members, writers, amount):
    turn = iter(writers * 200)
    sections = {s.key: s for s in city.strategy_sections.all()}
    components = {c.kind: c for c in city.strategy_components.all()}
    vision, priorities = CITIES[city.slug][1], CITIES[city.slug][2]
    first = sections["vision"]
    # A first version, then the one the team kept: the history has something to compare.
    unit_save(city=city, actor=next(turn), unit=first, values={"text": vision.split(",")[0] + "."}, base_version=1)
    unit_save(city=city, actor=next(turn), unit=first, values={"text": vision}, base_version=2)
    if amount == "vision":
        return
    if priorities:
        unit_save(city=city, actor=members[Role.MAYOR].user, unit=sections["priorities"], values={"text": priorities},
                  base_version=1)
    for kind, (level, state, goals) in COMPONENT_PLANS.items():
        if amount == "most" and kind == "transparency":
            continue
        unit_save(city=city, actor=next(turn), unit=components[kind],
                  values={"current_level": level, "current_state": state}, base_version=1)
        for goal_title, actions in goals:
            goal = unit_create(city=city, actor=next(turn), kind="goal", parent=components[kind],
                               values={"title": goal_title})
            for what, role, start, end, status, milestones, resources, measures in actions:
                action = unit_create(city=city, actor=next(turn), kind="action", parent=goal, values={
                    "what": what, "owner_member": members.get(role),
                    "owner": "" if role in members else str(role.label),
                    "start_quarter": start, "end_quarter": end, "status": status, "milestones": milestones,
                    "resources": resources,
                })
                for name, baseline, target, unit, by in measures:
                    unit_create(city=city, actor=next(turn), kind="measure", parent=action, values={
                        "name": name, "baseline": Decimal(baseline), "target": Decimal(target), "unit": unit,
                        "by_quarter": by,
                    })
    for key, text in SECTION_TEXT.items():
        if amount == "most" and key in ("engagement", "evaluation"):
            continue
        unit_save(city=city, actor=next(turn), unit=sections[key], values={"text": text}, base_version=1)


def _step(city, user, name, message=""):
    strategy_transition(city=city, actor=user, name=name, message=message, notify=False)


def _spread_in_time(city, start, end):
    """Give the demo's changes believable dates between `start` and `end`, in the order they were made."""
    revisions = list(Revision.objects.filter(city=city).order_by("pk"))
    events = list(AuditEvent.objects.filter(city=city, action__startswith="strategy.").order_by("pk"))
    rows = revisions + events
    span = (end - start) / max(len(rows), 1)
    for i, row in enumerate(sorted(rows, key=lambda r: (r.created_at, isinstance(r, AuditEvent)))):
        row.created_at = start + span * i
        row.save(update_fields=["created_at"])
    last = revisions[-1] if revisions else None
    # The plan has been in its state since its last review step (a draft: since its first edit),
    # so each city's "since" tells its own story rather than when the demo was loaded.
    steps = [e for e in events if e.action.removeprefix("strategy.") in TRANSITIONS]
    since = steps[-1].created_at if steps else (revisions[0].created_at if revisions else start)
    Strategy.objects.filter(city=city).update(
        last_changed_at=last.created_at if last else None, status_changed_at=since,
    )
    PublishedEdition.objects.filter(city=city).update(published_at=end)
    # Comments come near the end, when the coach reads the plan.
    for i, comment in enumerate(Comment.objects.filter(city=city).order_by("pk")):
        comment.created_at = end - datetime.timedelta(days=2) + datetime.timedelta(hours=5 * i)
        comment.save(update_fields=["created_at"])
        CommentThread.objects.filter(pk=comment.thread_id,
                                     created_at__gt=comment.created_at).update(created_at=comment.created_at)


def seed(context):
    cities, coaches = context["cities"], {c.email: c for c in context["coaches"]}
    now = timezone.now()
    for slug, (stage, _vision, _priorities, amount, baseline, end_rating) in CITIES.items():
        city = cities.get(slug)
        if city is None or Revision.objects.filter(city=city).exists():
            continue
        strategy = strategy_for(city)
        members, writers = _team(city)
        mayor = members[Role.MAYOR].user
        assigned = (a.coach for a in city.coach_assignments.select_related("coach"))
        coach = next(assigned, None) or next(iter(coaches.values()))
        maturity_rate(city=city, actor=writers[0], phase=MaturityRating.Phase.BASELINE,
                      ratings={k: (v, "") for k, v in baseline.items()})
        _write_plan(city, strategy, members, writers, amount)
        if stage == "draft_comments":
            thread = thread_start(city=city, actor=coach, strategy=strategy, notify=False, part="governance",
                                  body="Quem preside o grupo de governança? Nomeiem uma pessoa, não só um cargo.")
            thread_reply(city=city, actor=writers[0], thread=thread, body="A gerente da cidade, Thiago Martins.")
            thread_start(city=city, actor=coach, strategy=strategy, notify=False, part="transparency",
                         body="Faltam metas de transparência: pensem em publicar o progresso das prioridades.")
        if stage in ("submitted", "changes_requested", "endorsed", "published", "amending"):
            _step(city, writers[0], "submit")
        if stage == "submitted":
            thread_start(city=city, actor=coach, strategy=strategy, notify=False, part="quality",
                         body="La validación automática empieza en Y1 Q4: ¿hay presupuesto confirmado para el "
                              "proveedor?")
        if stage == "changes_requested":
            thread_start(city=city, actor=coach, strategy=strategy, notify=False, part="priorities",
                         body="The mayor named three priorities at the convening; only two are here.")
            _step(city, coach, "request_changes", "Add the mayor's third priority (road safety) and a measure for it.")
        if stage in ("endorsed", "published", "amending"):
            thread = thread_start(city=city, actor=coach, strategy=strategy, notify=False, part="use",
                                  body="Strong performance routine. Consider who covers when the analyst is away.")
            thread_reply(city=city, actor=writers[0], thread=thread,
                         body="The CDO's deputy will cover; added to practices.")
            thread_resolve(city=city, actor=writers[0], thread=thread)
            _step(city, coach, "endorse")
        if stage in ("published", "amending"):
            _step(city, mayor, "approve")
            maturity_rate(city=city, actor=writers[0], phase=MaturityRating.Phase.END,
                          ratings={k: (v, "") for k, v in end_rating.items()})
        if slug in PUBLIC_CITIES:
            strategy_set_public(city=city, actor=mayor, public=True)
        for kind, text, learning_goal in SHARED.get(slug, ()):
            unit = _find_shared(city, kind, text)
            if unit is not None:
                unit_share(city=city, actor=writers[0], kind=kind, code=unit.code, shared=True,
                           learning_goal=learning_goal)
        if stage == "amending":
            _step(city, writers[0], "amend", "Updating the timeline after the budget was adopted.")
            action = city.strategy_actions.filter(status="at_risk").first()
            if action is not None:
                unit_save(city=city, actor=writers[0], unit=action, values={"end_quarter": 6, "status": "on_track"},
                          base_version=action.version)
        cohort = city.cohort
        if cohort.slug == "2024":
            _spread_in_time(city, datetime.datetime(2024, 7, 8, 15, tzinfo=datetime.UTC),
                            datetime.datetime(2024, 12, 12, 16, tzinfo=datetime.UTC))
        else:
            start = datetime.datetime.combine(cohort.start_date, datetime.time(15), tzinfo=datetime.UTC)
            _spread_in_time(city, start + datetime.timedelta(days=10), now - datetime.timedelta(hours=3))
