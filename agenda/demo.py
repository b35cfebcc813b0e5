"""Demo program calendar: the 2024 cohort's whole season (the convening of 26–28 June 2024 in
Washington, keynotes, workshops, coaching, showcases, mayor checkpoints) with answers and
attendance, and the running cohort's first six weeks behind it and its next sessions ahead.

Sessions are keyed by cohort, title and city, so loading twice changes nothing."""

import datetime
import random
import zoneinfo

from django.utils import timezone

from agenda.models import Attendance, Response, Session, SessionInvitation
from agenda.services.session_invitations import invitations_changed
from agenda.services.sessions import session_create
from cohorts.demo import RETURNING

EASTERN = zoneinfo.ZoneInfo("America/New_York")
VENUE = "Johns Hopkins University Bloomberg Center, 555 Pennsylvania Ave NW, Washington, DC"
VIDEO = "https://meet.example.org/accelerator-{slug}"
MATERIALS = "https://example.org/accelerator/materials/{slug}"

KEYNOTES = [
    ("lead", "Leading with data: routines that stick", ["Prof. Amara Jensen", "Mayor (ret.) Carlos Vidal"]),
    ("invest", "Building the team: data talent in city hall", ["Dr. Helen Park"]),
    ("empower", "Residents at the table: open data and engagement", ["Nadia Ferreira", "Tom Okonkwo"]),
    ("lead", "From dashboards to decisions", ["Prof. Amara Jensen"]),
    ("invest", "Governance, quality and platforms that last", ["Dr. Rafael Moreno"]),
]
REASONS = ["Council budget session that morning.", "Travelling for the state municipal league.",
           "Storm response; our emergency operations centre is open.", "Medical appointment."]


def _at(day, hour, minute=0, zone=EASTERN):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def _get_or_create(cohort, actor, *, title, city=None, days=(), **fields):
    existing = Session.objects.filter(cohort=cohort, title=title, city=city).first()
    if existing is not None:
        return existing, False
    slug = f"{cohort.slug}-{len(title)}-{city.slug if city else 'all'}"
    fields.setdefault("video_url", "" if fields.get("kind") == Session.Kind.CONVENING else VIDEO.format(slug=slug))
    fields.setdefault("materials", MATERIALS.format(slug=slug))
    return session_create(cohort=cohort, actor=actor, title=title, city=city, days=days, **fields), True


def _answers_and_attendance(session, rngs, now):
    """`rngs(invitation)` is the random stream that decides for that invitation."""
    invitations = list(SessionInvitation.objects.filter(session=session))
    past = session.ends_at <= now
    convening = session.kind == Session.Kind.CONVENING
    for invitation in invitations:
        rng = rngs(invitation)
        roll = rng.random()
        if convening and past:
            # Every mayor said she would come; what happened is told by the convening's own demo.
            invitation.response = Response.YES
        elif roll < (0.8 if past else 0.55):
            invitation.response = Response.YES
        elif roll < (0.88 if past else 0.65):
            invitation.response, invitation.reason = Response.APOLOGY, rng.choice(REASONS)
        elif roll < (0.9 if past else 0.7):
            invitation.response = Response.NO
        else:
            continue  # not answered
        invitation.responded_at = min(session.starts_at - datetime.timedelta(days=rng.randint(1, 6)), now)
    SessionInvitation.objects.bulk_update(invitations, ["response", "reason", "responded_at"])
    invitations_changed([session.pk])
    if not past or convening or session.is_cancelled or session.attendance.exists():
        # A convening's marks come from its desk and enforcement, and its outcome from its segments.
        return
    marks = []
    for invitation in invitations:
        roll = rngs(invitation).random()
        if invitation.response == Response.APOLOGY:
            status = Attendance.Status.EXCUSED
        elif invitation.response == Response.NO:
            status = Attendance.Status.ABSENT
        elif roll < 0.85:
            status = Attendance.Status.PRESENT
        elif roll < 0.95:
            status = Attendance.Status.LATE
        else:
            status = Attendance.Status.ABSENT
        # A virtual session's marks came from its video-call report, as staff import them.
        source = Attendance.Source.MANUAL if session.is_in_person else Attendance.Source.IMPORT
        marks.append(Attendance(session=session, city_id=invitation.city_id, person_id=invitation.person_id,
                                status=status, marked_at=session.ends_at, source=source))
    Attendance.objects.bulk_create(marks)


def _season(cohort, actor, cities, *, convening_day, keynote_days, coaching_start, showcase_day, checkpoint_days):
    """Create one cohort's sessions; returns the sessions created this time."""
    created = []

    def add(**fields):
        session, new = _get_or_create(cohort, actor, **fields)
        if new:
            created.append(session)
        return session

    wed = convening_day
    add(kind=Session.Kind.CONVENING, title="Mayors' convening", audience=Session.Audience.MAYORS,
        learning_goal="lead", time_zone="America/New_York", venue=VENUE, required=True,
        description="Two days with fellow mayors on the role a mayor plays in a data-informed culture. "
                    "Mayors attend in person; no surrogates are accepted.",
        speakers="GovEx faculty\nBloomberg Philanthropies",
        starts_at=_at(wed, 17, 30), ends_at=_at(wed + datetime.timedelta(days=2), 14, 0),
        days=[
            {"label": "Wednesday evening: welcome and vision dinner", "starts_at": _at(wed, 17, 30),
             "ends_at": _at(wed, 21, 0), "required": True},
            {"label": "Thursday: the mayor's role in a data culture",
             "starts_at": _at(wed + datetime.timedelta(days=1), 8, 30),
             "ends_at": _at(wed + datetime.timedelta(days=1), 17, 30), "required": True},
            {"label": "Friday: priorities and the road ahead (until the afternoon)",
             "starts_at": _at(wed + datetime.timedelta(days=2), 8, 30),
             "ends_at": _at(wed + datetime.timedelta(days=2), 14, 0), "required": True},
        ])
    for (goal, title, speakers), day in zip(KEYNOTES, keynote_days, strict=True):
        add(kind=Session.Kind.KEYNOTE, title=f"Keynote: {title}", audience=Session.Audience.SENIOR_TEAMS,
            learning_goal=goal, time_zone="America/New_York", speakers="\n".join(speakers), required=True,
            starts_at=_at(day, 11), ends_at=_at(day, 12, 30),
            description="Practitioners and faculty walk through real examples of the work in action.")
        workshop_day = day + datetime.timedelta(days=7)
        add(kind=Session.Kind.WORKSHOP, title=f"Workshop: {title}", audience=Session.Audience.SENIOR_TEAMS,
            learning_goal=goal, time_zone="America/New_York", required=True,
            starts_at=_at(workshop_day, 11), ends_at=_at(workshop_day, 13),
            description="Unpack the keynote's skills and plan how your city will apply them.")
    for index, city in enumerate(cities):
        zone = zoneinfo.ZoneInfo(city.time_zone)
        for n in range(3):
            day = coaching_start + datetime.timedelta(days=28 * n + index % 5)
            add(kind=Session.Kind.COACHING, title=f"Coaching check-in {n + 1}", city=city,
                audience=Session.Audience.CITY, time_zone=city.time_zone, required=True,
                starts_at=_at(day, 10, zone=zone), ends_at=_at(day, 11, zone=zone),
                description="Regular check-in with your coach on the implementation plan.")
        for n, day in enumerate(checkpoint_days):
            day = day + datetime.timedelta(days=index % 4)
            add(kind=Session.Kind.CHECKPOINT, title=f"Mayor checkpoint {n + 1}", city=city,
                audience=Session.Audience.CITY, time_zone=city.time_zone, learning_goal="lead", required=True,
                starts_at=_at(day, 9, zone=zone), ends_at=_at(day, 9, 45, zone=zone),
                description="The mayor, the team and the coach: direction on the strategy's priorities.")
    add(kind=Session.Kind.SHOWCASE, title="Showcase: new data routines", audience=Session.Audience.MAYORS_AND_TEAMS,
        learning_goal="empower", time_zone="America/New_York", required=False,
        starts_at=_at(showcase_day, 12), ends_at=_at(showcase_day, 13, 30),
        description="Teams demonstrate a practice they put in place and hear their coaches' feedback.")
    for index, city in enumerate(cities[:3]):
        day = showcase_day + datetime.timedelta(days=14 + index)
        zone = zoneinfo.ZoneInfo(city.time_zone)
        add(kind=Session.Kind.SHOWCASE, title=f"Showcase: {city.name}'s new policy", city=city,
            audience=Session.Audience.CITY, learning_goal="invest", time_zone=city.time_zone, required=False,
            starts_at=_at(day, 14, zone=zone), ends_at=_at(day, 15, zone=zone))
    return created


def seed(context):
    now = timezone.now()
    today = timezone.localdate()
    actor = context["staff"][0]
    cities = context["cities"]
    by_cohort = {}
    for city in cities.values():
        by_cohort.setdefault(city.cohort_id, []).append(city)

    cohort_2024 = context["cohort_2024"]
    created = _season(
        cohort_2024, actor, sorted(by_cohort.get(cohort_2024.pk, []), key=lambda c: c.slug),
        convening_day=datetime.date(2024, 6, 26),
        keynote_days=[datetime.date(2024, 7, 16), datetime.date(2024, 8, 13), datetime.date(2024, 9, 10),
                      datetime.date(2024, 10, 8), datetime.date(2024, 11, 5)],
        coaching_start=datetime.date(2024, 7, 22), showcase_day=datetime.date(2024, 10, 23),
        checkpoint_days=[datetime.date(2024, 9, 2), datetime.date(2024, 12, 2)],
    )
    current = context["current_cohort"]
    start = current.start_date
    # The convening opened the running cohort on the first Wednesday; the rest is every three weeks.
    wednesday = start + datetime.timedelta(days=(2 - start.weekday()) % 7)
    created += _season(
        current, actor, sorted(by_cohort.get(current.pk, []), key=lambda c: c.slug),
        convening_day=wednesday,
        keynote_days=[wednesday + datetime.timedelta(weeks=2 + 3 * n, days=-1) for n in range(5)],
        coaching_start=start + datetime.timedelta(days=16), showcase_day=today + datetime.timedelta(days=9),
        checkpoint_days=[start + datetime.timedelta(days=30), today + datetime.timedelta(days=20)],
    )
    rng = random.Random("accelerator-calendar")
    # A city that came back for the running cohort draws from its own stream, so the other
    # cities' answers and attendance stay what they were before it joined.
    returning_ids = {cities[slug].pk for _earlier, slug in RETURNING if slug in cities}
    returning_rng = random.Random("accelerator-calendar-returning")

    def rngs(invitation):
        return returning_rng if invitation.city_id in returning_ids else rng

    for session in created:
        _answers_and_attendance(session, rngs, now)
    context["sessions_created"] = len(created)
    _date_the_scheduling(cohort_2024, current)


def _date_the_scheduling(*cohorts):
    """Staff scheduled each season's sessions before it began; the audit trail should say so
    rather than show the moment the demo was loaded."""
    from accelerator.models import AuditEvent

    for cohort in cohorts:
        planned = timezone.make_aware(
            datetime.datetime.combine(cohort.start_date - datetime.timedelta(days=14), datetime.time(15))
        )
        AuditEvent.objects.filter(cohort=cohort, action="session.created",
                                  created_at__gt=planned).update(created_at=planned)
