"""Absence warnings: after N missed sessions in a row (ABSENCE_WARNING_STREAK), the person's
coach and program staff get one warning per streak.

Derived from the attendance ledger on every sweep, so a lost or doubled task changes nothing:
the warning row's unique key (person, first missed session) is written in the same transaction
that queues the message, and each recipient reads it in their own language and time zone."""

import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django_scopes import scopes_disabled

from accelerator.audit import audit_record
from accelerator.outbox.services import mail_send
from agenda.models import AbsenceWarning, Attendance, Session
from cohorts.models import City, Cohort
from cohorts.models.visibility import current_coach_assignments
from cohorts.services.dashboard_rows import dashboard_rows_changed

logger = logging.getLogger(__name__)

TASK_NAME = "agenda.sweep_absences"


# A refused stand-in is the mayor missing the segment.
MISSED = (Attendance.Status.ABSENT, Attendance.Status.SURROGATE_REFUSED)


def current_streaks(*, cohort_ids=None):
    """{person_id: (city_id, [session_id, …])}: each person's trailing run of missed sessions.

    A session counts once however many day segments were missed; present or late ends a run;
    excused neither counts nor ends it (an agreed absence is not a pattern). One query."""
    rows = Attendance.objects.filter(
        session__required=True,
        session__cohort__status=Cohort.Status.RUNNING,
    ).exclude(session__status=Session.Status.CANCELLED)
    # A convening is read from its segments; its outcome row only summarises them.
    rows = rows.exclude(day__isnull=True, session__kind=Session.Kind.CONVENING)
    if cohort_ids is not None:
        rows = rows.filter(session__cohort_id__in=cohort_ids)
    rows = rows.annotate(at=Coalesce(F("day__starts_at"), F("session__starts_at"))).order_by("person_id", "at", "pk")
    streaks = {}
    run, run_city, current = [], None, None
    for person_id, city_id, session_id, status in rows.values_list("person_id", "city_id", "session_id",
                                                                   "status").iterator(chunk_size=5000):
        if person_id != current:
            if run:
                streaks[current] = (run_city, run)
            run, current = [], person_id
        if status in MISSED:
            if not run or run[-1] != session_id:
                run.append(session_id)
            run_city = city_id
        elif status in Attendance.ATTENDED:
            run = []
    if run:
        streaks[current] = (run_city, run)
    return streaks


def absences_sweep(*, cohort_ids=None):
    """Warn once for every streak at or over the threshold; keep known warnings' length current.
    Returns the number of new warnings."""
    threshold = settings.ABSENCE_WARNING_STREAK
    with scopes_disabled():  # a cohort-wide sweep, on purpose
        due = {person: (city, run) for person, (city, run) in current_streaks(cohort_ids=cohort_ids).items()
               if len(run) >= threshold}
        if not due:
            return 0
        known = {
            (w.person_id, w.first_missed_id): w
            for w in AbsenceWarning.objects.filter(person_id__in=due.keys())
        }
        new, lengthened = [], set()
        for person_id, (city_id, run) in due.items():
            warning = known.get((person_id, run[0]))
            if warning is None:
                new.append((person_id, city_id, run))
            elif warning.streak != len(run):
                AbsenceWarning.objects.filter(pk=warning.pk).update(streak=len(run), last_missed_id=run[-1])
                lengthened.add(city_id)
        dashboard_rows_changed(city_ids=lengthened | {city_id for _p, city_id, _r in new})
        if not new:
            return 0
        User = get_user_model()
        people = User.objects.in_bulk([p for p, _c, _r in new])
        cities = City.objects.select_related("cohort").in_bulk({c for _p, c, _r in new})
        sessions = Session.objects.in_bulk({s for _p, _c, run in new for s in run})
        coaches = defaultdict(list)
        for assignment in current_coach_assignments().filter(city_id__in=cities.keys()).select_related("coach"):
            coaches[assignment.city_id].append(assignment.coach)
        staff = list(User.objects.filter(is_staff=True, is_active=True))
        sent = 0
        for person_id, city_id, run in new:
            sent += _warn(person=people[person_id], city=cities[city_id], missed=[sessions[s] for s in run],
                          recipients=coaches[city_id] + staff)
        return sent


def _warn(*, person, city, missed, recipients):
    try:
        with transaction.atomic():
            AbsenceWarning.objects.create(
                city=city, person=person, first_missed=missed[0], last_missed=missed[-1], streak=len(missed)
            )
            audit_record(
                city=city, task=TASK_NAME, action="attendance.absence_warning",
                data={"person": person.email, "person_name": str(person), "count": len(missed),
                      "sessions": [s.code for s in missed]},
            )
            mail_send(
                "agenda.absence_warning", to=recipients, city=city,
                context={"person": person, "city": city, "missed": missed,
                         "link": settings.SITE_URL + reverse("cohorts:team", kwargs={"city_slug": city.slug})},
                key=f"absence:{person.pk}:{missed[0].pk}",
            )
    except IntegrityError:
        return 0  # another sweep warned for this streak first
    return 1
