"""Who is invited to what, derived from each session's audience; RSVPs and nudges.

Invitations to upcoming sessions are recomputed from the teams (never edited by hand), so they
stay right when a person joins or leaves a team, a coach changes or a city stops taking part.
Past sessions keep their invitations: they are the attendance history."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from accelerator.outbox.services import mail_send
from agenda.models import Attendance, Response, Session, SessionInvitation
from cohorts.models import City, Role
from cohorts.models.visibility import current_coach_assignments, current_memberships
from cohorts.selectors import city_coaches

from .reminders import nudges_queue

# Cities that take part in sessions. "At risk" cities are still in the program.
PARTICIPATING = (City.Status.ACTIVE, City.Status.AT_RISK)
# How long after a nudge the same person cannot be nudged again about the same session.
NUDGE_INTERVAL = datetime.timedelta(hours=12)


def _wanted_for(session, members_by_city, coaches_by_city):
    """{person_id: city_id} the session's audience asks for."""
    wanted = {}
    audience = session.audience
    if audience == Session.Audience.CITY:
        for membership in members_by_city.get(session.city_id, []):
            wanted[membership.user_id] = session.city_id
        for coach_id in coaches_by_city.get(session.city_id, []):
            wanted.setdefault(coach_id, session.city_id)
        return wanted
    for city_id, memberships in members_by_city.items():
        if audience == Session.Audience.COACHES:
            break
        for membership in memberships:
            is_mayor = membership.role == Role.MAYOR
            if (
                audience == Session.Audience.MAYORS_AND_TEAMS
                or (audience == Session.Audience.MAYORS and is_mayor)
                or (audience == Session.Audience.SENIOR_TEAMS and not is_mayor)
            ):
                wanted[membership.user_id] = city_id
    if audience == Session.Audience.COACHES:
        # A coach of several cities is invited once, filed under the first of their cities.
        for city_id in sorted(coaches_by_city):
            for coach_id in coaches_by_city[city_id]:
                wanted.setdefault(coach_id, city_id)
    return wanted


@scopes_disabled()  # the audience spans every city of the cohort by definition
def invitations_sync(*, cohort_id=None, city_id=None, session_ids=None, now=None, include_past=False,
                     participating=None):
    """Make invitations to upcoming sessions match the audiences. Limit the work to one cohort,
    one city (a team changed) or some sessions (a session was created or edited). A session
    recorded after the fact (`include_past`) invites the teams as they are now.

    A caller that holds every city of `cohort_id` locked may pass the ids of those taking part
    (`participating`), which saves reading them again.

    A constant number of queries however many people or sessions are involved."""
    now = now or timezone.now()
    if city_id is not None:
        city = City.objects.filter(pk=city_id).values("cohort_id").first()
        if city is None:  # the city is being deleted; its invitations go with it
            return 0, 0
        cohort_id = city["cohort_id"]
    sessions = Session.objects.exclude(status=Session.Status.CANCELLED)
    if not include_past:  # a team change does not rewrite who was invited to what happened
        sessions = sessions.filter(starts_at__gt=now)
    if session_ids is not None:
        sessions = sessions.filter(pk__in=session_ids)
    if cohort_id is not None:
        sessions = sessions.filter(cohort_id=cohort_id)
    sessions = list(sessions.only("pk", "cohort_id", "city_id", "audience"))
    if not sessions:
        return 0, 0
    cohort_ids = {s.cohort_id for s in sessions}

    if participating is not None:
        if cohort_id is None or city_id is not None:
            raise ValueError("participating is given for a whole cohort")
        city_cohort = dict.fromkeys(participating, cohort_id)
    else:
        cities = City.objects.filter(cohort_id__in=cohort_ids, status__in=PARTICIPATING)
        if city_id is not None:
            cities = cities.filter(pk=city_id)
        city_cohort = dict(cities.values_list("pk", "cohort_id"))
    members = {}
    for membership in current_memberships().filter(city_id__in=city_cohort).only("user_id", "city_id", "role"):
        members.setdefault(membership.city_id, []).append(membership)
    coaches = {}
    # Only current coaches are invited, by the same rule that decides who sees the city.
    for city_pk, coach_id in current_coach_assignments().filter(city_id__in=city_cohort).values_list("city_id",
                                                                                                     "coach_id"):
        coaches.setdefault(city_pk, []).append(coach_id)

    existing = SessionInvitation.objects.filter(session__in=sessions)
    if city_id is not None:
        existing = existing.filter(city_id=city_id)
    have = {(s, p): (pk, c) for pk, s, p, c in existing.values_list("pk", "session_id", "person_id", "city_id")}

    to_create, to_delete = [], []
    for session in sessions:
        if city_id is not None and (
            (session.audience == Session.Audience.CITY and session.city_id != city_id)
            # A coach of several cities is filed under one of them: only a cohort-wide sync
            # (which a coach assignment change runs) sees them whole.
            or session.audience == Session.Audience.COACHES
        ):
            continue
        in_cohort = {c: m for c, m in members.items() if city_cohort[c] == session.cohort_id}
        coach_map = {c: m for c, m in coaches.items() if city_cohort[c] == session.cohort_id}
        wanted = _wanted_for(session, in_cohort, coach_map)
        for person_id, wanted_city in wanted.items():
            current = have.get((session.pk, person_id))
            if current is None:
                to_create.append(SessionInvitation(session_id=session.pk, person_id=person_id, city_id=wanted_city))
            elif current[1] != wanted_city:  # the person moved to another city's team
                to_delete.append(current[0])
                to_create.append(SessionInvitation(session_id=session.pk, person_id=person_id, city_id=wanted_city))
        for (session_pk, person_id), (pk, _city) in have.items():
            if session_pk == session.pk and person_id not in wanted:
                to_delete.append(pk)
    # No savepoint of its own: called inside a service's transaction (as it mostly is), an error
    # here fails that whole change, which is what it should do.
    with transaction.atomic(savepoint=False):
        if to_delete:
            SessionInvitation.objects.filter(pk__in=to_delete).delete()
        if to_create:
            if city_id is not None:
                # A person may still hold an invitation filed under their previous city.
                SessionInvitation.objects.filter(
                    session__in=sessions, person_id__in={i.person_id for i in to_create}
                ).delete()
            SessionInvitation.objects.bulk_create(to_create, ignore_conflicts=True, batch_size=1000)
        deleted = set(to_delete)
        changed = {i.session_id for i in to_create} | {s for (s, _p), (pk, _c) in have.items() if pk in deleted}
        invitations_changed(changed, now=now)
    return len(to_create), len(to_delete)


def invitations_changed(session_ids, *, now=None):
    """Note that the invitations or answers of these sessions changed (one query; none for no
    session): the calendar pages' caches are keyed on it."""
    if session_ids:
        Session.objects.filter(pk__in=list(session_ids)).update(invitations_changed_at=now or timezone.now())


def invitation_respond(*, invitation, actor, response, reason=""):
    """Record an invitee's answer. An apology needs its reason; a cancelled or finished session
    takes no more answers."""
    reason = (reason or "").strip()
    if invitation.person_id != actor.pk:
        raise RuleViolation(_("Only the invited person can answer this invitation."))
    session = invitation.session
    if session.is_cancelled:
        raise RuleViolation(_("This session was cancelled."), field="response")
    if session.has_ended:
        raise RuleViolation(_("This session is over; answers are closed."), field="response")
    if session.attendance.filter(person_id=invitation.person_id, status__in=Attendance.ATTENDED).exists():
        # She answered by coming: a "no" now would contradict the ledger.
        raise RuleViolation(_("You are checked in, so there is nothing to answer."), field="response")
    if response not in (Response.YES, Response.NO, Response.APOLOGY):
        raise RuleViolation(_("Choose yes, no or an apology."), field="response")
    if response == Response.APOLOGY and not reason:
        raise RuleViolation(_("Say briefly why you cannot come, so your team and coach know."), field="reason")
    invitation.response = response
    invitation.reason = reason
    invitation.responded_at = timezone.now()
    with transaction.atomic():
        invitation.save(update_fields=["response", "reason", "responded_at"])
        invitations_changed([invitation.session_id], now=invitation.responded_at)
        if response == Response.APOLOGY:
            _apology_announce(invitation)
    return invitation


def _apology_announce(invitation):
    """The city's coaches hear of an apology with its reason (a changed reason tells them again)."""
    mail_send(
        "agenda.apology", to=city_coaches(invitation.city), city=invitation.city,
        context={"invitation": invitation, "link": settings.SITE_URL + invitation.session.get_absolute_url()},
        key=f"apology:{invitation.pk}:{int(invitation.responded_at.timestamp())}",
    )


def invitations_nudge(*, session, actor):
    """Ask every invitee who has not answered yet, by email (sent by a task after the commit).
    Returns how many are nudged."""
    if session.is_cancelled or session.has_ended:
        raise RuleViolation(_("Only upcoming sessions can be nudged."))
    now = timezone.now()
    with scopes_disabled():
        # A second click (or a second member of staff) within the interval nudges nobody twice.
        recently = Q(nudged_at__gte=now - NUDGE_INTERVAL)
        pending = list(
            session.invitations.filter(response=Response.PENDING).exclude(recently).values_list("pk", flat=True)
        )
        if not pending:
            return 0
        with transaction.atomic():
            SessionInvitation.objects.filter(pk__in=pending).update(nudged_at=now)
            audit_record(
                cohort=session.cohort, actor=actor, action="session.nudged",
                data={"session": session.code, "title": session.title, "count": len(pending)},
            )
            nudges_queue(session=session, invitation_ids=pending, now=now)
    return len(pending)


def invitations_summary(session):
    """Counts of answers for a session, in one query."""
    from django.db.models import Count

    counts = dict(session.invitations.values_list("response").annotate(n=Count("pk")))
    total = sum(counts.values())
    return {"total": total, **{r.value: counts.get(r.value, 0) for r in Response}}
