"""Demo coaching history: a finished year for the 2024 cohort and a program in progress for the
current one — check-ins with action items (some carried forward), mayor decisions (decided,
waiting, overdue) and showcases with the coach's feedback.

Rows are written directly (not through services) so loading the demo sends no email. A city
that already has check-ins is left alone, so loading twice changes nothing."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from agenda.models import Session
from cohorts.models import Role

from .models import ActionItem, CheckIn, EvidenceFile, LearningGoal, MayorDecision, Showcase, ShowcaseFeedback

# (goal, summary shared with the city, private coach note, [action items])
TOPICS = [
    (LearningGoal.LEAD, "We mapped the mayor's three priorities to the data the city already collects and agreed "
     "which one the senior team will review every month.",
     "The chief of staff is the real driver; the mayor engages when we bring numbers, not process.",
     ["Draft a one-page scorecard for the housing priority", "List the datasets behind each priority"]),
    (LearningGoal.INVEST, "We reviewed the data inventory and the gaps in analytics staffing. The team will "
     "write a role description for a data analyst shared between two departments.",
     "Budget is tight; HR may resist a shared role. Raise with the mayor at the checkpoint.",
     ["Write the shared analyst role description", "Ask HR for the time-to-hire figures"]),
    (LearningGoal.EMPOWER, "We planned how to publish the 311 service-request data and how to explain it to "
     "residents, starting with one district.",
     "Communications lead is nervous about bad press on response times; reassure with the peer-city examples.",
     ["Pick the pilot district and its community partner", "Draft the plain-language data notes"]),
    (LearningGoal.LEAD, "The first monthly performance meeting took place. We went through what worked and how "
     "to keep it short: three metrics, one decision each time.",
     "Meeting ran long; the city manager talked most. Coach the chair before the next one.",
     ["Set the agenda template for the monthly meeting"]),
    (LearningGoal.INVEST, "We compared three options for a shared data platform and agreed the criteria the "
     "team will use to choose.",
     "Vendor pressure on the CDO is real; keep the criteria public.",
     ["Score the three platform options against the criteria", "Check the data-sharing clause with legal"]),
    (LearningGoal.EMPOWER, "We reviewed the draft open-data policy and who inside the city must sign off.",
     "",
     ["Circulate the open-data policy to department heads"]),
]

STUCK_ITEM_INDEX = 1  # the second item of the first check-in stays open for a long time: carried forward

DECISIONS = [
    ("Should the monthly performance meeting be chaired by the mayor or the city manager?",
     "The team piloted two meetings. Attendance and follow-through were better when the mayor opened the meeting.",
     "The mayor chairs\nThe city manager chairs; the mayor attends quarterly"),
    ("May we publish the 311 service-request data for the pilot district?",
     "The data notes are ready and the community partner agreed to co-host the launch. Response times in the "
     "district are below the city average, which will be visible.",
     "Publish now with the plain-language notes\nWait until response times improve\nPublish internally first"),
    ("Do we fund a shared data analyst between Planning and Public Works?",
     "The role description is ready. It needs half a position from each department's budget next year.",
     "Fund it from next year's budget\nFund it now from the innovation fund\nNot this year"),
]

SHOWCASES = [
    ("Monthly performance meeting", Showcase.Kind.DATA_ROUTINE,
     "The senior team now meets monthly over three metrics tied to the mayor's priorities, and each meeting "
     "ends with one decision and an owner.",
     "Department heads and the mayor's office; residents benefit from faster follow-through on housing repairs.",
     "The meeting is in the city manager's standing calendar, the agenda template is shared, and the CDO "
     "prepares the metrics the week before."),
    ("Open-data policy for service requests", Showcase.Kind.POLICY,
     "The city adopted a policy that service-request data is published monthly with plain-language notes.",
     "Residents and community organisations, who can now see response times in their district.",
     "The policy names the CDO as owner and requires a yearly review by the council committee."),
]

FEEDBACK = [
    ("Clear owners and a short agenda; the one-decision rule keeps the meeting useful.",
     "Write down how metrics are chosen so the routine survives staff changes.", ShowcaseFeedback.Sustained.PARTLY),
    ("The policy is specific about frequency and ownership.",
     "Add how residents can report errors in the data.", ShowcaseFeedback.Sustained.YES),
]

EVIDENCE_CSV = (
    "month,metric,value\n"
    "2024-07,housing repairs closed within 30 days,61%\n"
    "2024-08,housing repairs closed within 30 days,68%\n"
)


def _team(city):
    return list(city.memberships.select_related("user").exclude(role=Role.MAYOR).order_by("role", "pk"))


def _mayor(city):
    return city.memberships.select_related("user").filter(role=Role.MAYOR).first()


def _seed_checkins(city, coach, dates, today, *, ongoing):
    team = _team(city)
    if not team:
        return []
    checkins = []
    items = []  # (item, closed_on)
    for number, held_on in enumerate(dates):
        goal, summary, note, whats = TOPICS[number % len(TOPICS)]
        checkin = CheckIn.objects.create(
            city=city, coach=coach, held_on=held_on, focus_goal=goal, summary=summary, private_notes=note,
            progress_lead=min(4, 1 + (number + 1) // 2), progress_invest=min(4, 1 + number // 2),
            progress_empower=min(4, 1 + number // 3),
        )
        checkin.attendees.set(team[: 2 + number % 2])
        # Items raised earlier and still open on this date are carried into it.
        checkin.carried_items.add(*[item for item, closed_on in items
                                    if item.checkin.held_on < held_on and (closed_on is None or closed_on > held_on)])
        for index, what in enumerate(whats):
            item = ActionItem(city=city, checkin=checkin, what=what, owner=team[(number + index) % len(team)],
                              due_on=held_on + datetime.timedelta(days=14))
            last = number == len(dates) - 1
            if ongoing and (last or (number == 0 and index == STUCK_ITEM_INDEX)):
                closed_on = None  # open: the newest items, and one stuck item carried all along
            elif ongoing and number == len(dates) - 2 and index == 0:
                closed_on = None  # open and past its due date: shows as overdue
            else:
                closed_on = held_on + datetime.timedelta(days=10)
            if closed_on is not None and closed_on <= today:
                item.status = ActionItem.Status.DONE
                item.closed_at = timezone.make_aware(datetime.datetime.combine(closed_on, datetime.time(15)))
            item.save()
            items.append((item, closed_on))
        checkins.append(checkin)
    return checkins


def _seed_decisions(city, coach, today, *, ongoing, overdue):
    mayor = _mayor(city)
    team = _team(city)
    raiser_team = team[0].user if team else coach
    checkpoints = list(Session.objects.filter(city=city, kind=Session.Kind.CHECKPOINT).exclude(
        status=Session.Status.CANCELLED).order_by("starts_at"))
    now = timezone.now()
    past = [s for s in checkpoints if s.starts_at <= now]
    upcoming = [s for s in checkpoints if s.starts_at > now]
    rows = []
    for index, (question, context, options) in enumerate(DECISIONS):
        decided = not ongoing or index == 0
        if decided:
            due_on = today - datetime.timedelta(days=20 - index)
        elif index == 1 and overdue:
            due_on = today - datetime.timedelta(days=4)
        else:
            due_on = today + datetime.timedelta(days=6 + index)
        decision = MayorDecision(
            city=city, raised_by=coach if index != 2 else raiser_team, question=question, context=context,
            options=options, due_on=due_on,
            # Decisions are taken at mayor checkpoints: a past one for decided, the next one for waiting.
            session=(past[-1] if past else None) if decided else (upcoming[0] if upcoming else None),
        )
        if decided and mayor is not None:
            decision.status = MayorDecision.Status.DECIDED
            decision.chosen_option = options.splitlines()[0]
            decision.decision_note = "Agreed. Keep me informed at the next checkpoint."
            decision.decided_by = mayor.user
            decision.decided_at = timezone.make_aware(datetime.datetime.combine(due_on - datetime.timedelta(days=2),
                                                                                datetime.time(17)))
        decision.save()
        rows.append(decision)
    return rows


def _seed_showcases(city, coach, today, *, ongoing, variant):
    team = _team(city)
    author = team[0].user if team else None
    for index, (title, kind, changed, whom, sustain) in enumerate(SHOWCASES):
        if ongoing and index == 1 and variant % 2 == 0:
            status = Showcase.Status.DRAFT
        elif ongoing and index == 1:
            status = Showcase.Status.SUBMITTED
        else:
            status = Showcase.Status.FEEDBACK
        # The one waiting for feedback has waited well past the dashboard's week, in every time zone.
        submitted = today - datetime.timedelta(days=12 - index * 3)
        showcase = Showcase.objects.create(
            city=city, title=title, kind=kind, what_changed=changed, for_whom=whom, sustain_plan=sustain,
            evidence_links="https://data.example.org/performance\nhttps://example.org/minutes",
            status=status, created_by=author,
            submitted_at=None if status == Showcase.Status.DRAFT
            else timezone.make_aware(datetime.datetime.combine(submitted, datetime.time(14))),
        )
        if index == 0:
            EvidenceFile.objects.create(
                showcase=showcase, file=ContentFile(EVIDENCE_CSV.encode(), name="metrics.csv"),
                original_name="performance-metrics.csv", content_type="text/csv", size=len(EVIDENCE_CSV.encode()),
                uploaded_by=author,
            )
        if status == Showcase.Status.FEEDBACK:
            works, strengthen, sustained = FEEDBACK[index]
            ShowcaseFeedback.objects.create(
                showcase=showcase, coach=coach, what_works=works, to_strengthen=strengthen, sustained=sustained,
                follow_up_on=today + datetime.timedelta(days=14) if ongoing else None,
            )


def seed(context):
    today = timezone.localdate()
    cities = context.get("cities", {})
    coach_of = {}
    for coach in context.get("coaches", []):
        for assignment in coach.coach_assignments.select_related("city"):
            coach_of.setdefault(assignment.city.slug, coach)
    current = context.get("current_cohort")
    for variant, (slug, city) in enumerate(sorted(cities.items())):
        if CheckIn.objects.filter(city=city).exists():
            continue  # already seeded
        coach = coach_of.get(slug)
        if coach is None:
            continue
        ongoing = current is not None and city.cohort_id == current.pk
        if ongoing:
            start = city.cohort.start_date
            # Every two weeks since the cohort began; one city in three has slipped behind.
            behind = variant % 3 == 0
            dates = [start + datetime.timedelta(days=7 + 14 * n) for n in range(3)]
            dates = [d for d in dates if d <= today - datetime.timedelta(days=(18 if behind else 0))] or dates[:1]
        else:
            dates = [datetime.date(2024, 7, 10) + datetime.timedelta(days=21 * n) for n in range(8)]
        _seed_checkins(city, coach, dates, today, ongoing=ongoing)
        _seed_decisions(city, coach, today if ongoing else datetime.date(2024, 11, 30), ongoing=ongoing,
                        overdue=ongoing and variant % 2 == 1)
        _seed_showcases(city, coach, today if ongoing else datetime.date(2024, 11, 15), ongoing=ongoing,
                        variant=variant)
