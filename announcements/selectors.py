"""Reads for the staff pages: who an announcement reaches, and the outbox.

Both serve program staff only and span every city of a cohort (or every city), so they read
with scopes disabled, visibly, here."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django_scopes import scopes_disabled

from accelerator.i18n import language_code
from accelerator.outbox.context import load, load_rows
from accelerator.outbox.models import OutgoingMessage
from accelerator.outbox.registry import message_kind
from accelerator.outbox.services import outgoing, render
from agenda.models import Attendance, SessionInvitation
from cohorts.models import City
from cohorts.models.visibility import current_coach_assignments, current_memberships

from .message_kinds import KIND
from .models import AudienceRole

ROLE_ORDER = {AudienceRole.MAYOR: 0, AudienceRole.TEAM: 1, AudienceRole.COACH: 2, AudienceRole.STAFF: 3}


@dataclass(frozen=True)
class Recipient:
    """One person an announcement reaches: the city they are counted under (none for staff),
    the audience role they are in, and how their role reads."""

    person: object
    city: object
    role: str
    role_label: str

    @property
    def language(self):
        return language_code(self.person.language) or settings.LANGUAGE_CODE

    @property
    def language_name(self):
        return dict(settings.LANGUAGES).get(self.language, self.language)


def audience_cities(cohort, city_ids=None):
    """The cities an audience covers: the chosen ones, or every city of the cohort still taking part."""
    cities = City.objects.filter(cohort=cohort)
    if city_ids:
        return cities.filter(pk__in=city_ids)
    return cities.exclude(status=City.Status.WITHDRAWN)


@scopes_disabled()  # a cohort's people span its cities
def cohort_people(cohort, *, city_ids=None, roles=()):
    """The cohort's current people in `roles`, one entry per person, ordered by city, role and name.

    A person with several relations is counted once, as the first of: team member, coach, staff.
    Only active people with an address are listed: the outbox would skip anyone else."""
    roles = set(roles)
    cities = audience_cities(cohort, city_ids)
    found = {}
    if roles & {AudienceRole.MAYOR, AudienceRole.TEAM}:
        memberships = current_memberships().filter(city__in=cities, user__is_active=True).select_related("user", "city")
        for membership in memberships:
            role = AudienceRole.MAYOR if membership.is_mayor else AudienceRole.TEAM
            if role in roles:
                found[membership.user_id] = Recipient(membership.user, membership.city, role, membership.role_label)
    if AudienceRole.COACH in roles:
        assignments = (current_coach_assignments().filter(city__in=cities, coach__is_active=True)
                       .select_related("coach", "city").order_by("city__name", "pk"))
        for assignment in assignments:
            # A coach of several cities is counted once, under the first of them.
            if assignment.coach_id not in found:
                found[assignment.coach_id] = Recipient(assignment.coach, assignment.city, AudienceRole.COACH,
                                                       str(AudienceRole.COACH.label))
    if AudienceRole.STAFF in roles:
        for person in get_user_model().objects.filter(is_staff=True, is_active=True):
            if person.pk not in found:
                found[person.pk] = Recipient(person, None, AudienceRole.STAFF, str(AudienceRole.STAFF.label))
    people = [r for r in found.values() if r.person.email]
    return sorted(people, key=lambda r: (r.city is None, r.city.name if r.city else "", ROLE_ORDER[r.role],
                                         str(r.person).lower(), r.person.pk))


@scopes_disabled()  # a cohort-wide session's invitees belong to many cities
def session_people_ids(session_id, session_filter=()):
    """Ids of the session's invitees matching any of `session_filter` (every invitee when empty)."""
    answers = [value.split(":", 1)[1] for value in session_filter if value.startswith("answer:")]
    marks = [value.split(":", 1)[1] for value in session_filter if value.startswith("attendance:")]
    invitations = SessionInvitation.objects.filter(session_id=session_id)
    if not session_filter:
        return set(invitations.values_list("person_id", flat=True))
    ids = set()
    if answers:
        ids |= set(invitations.filter(response__in=answers).values_list("person_id", flat=True))
    if marks:
        # Any mark of the session counts: at a multi-day convening, absent from one day is absent.
        ids |= set(Attendance.objects.filter(session_id=session_id, status__in=marks)
                   .values_list("person_id", flat=True))
    return ids


def audience_recipients(cohort, *, city_ids=None, roles=(), session=None, session_filter=()):
    """Who an audience definition reaches now.

    Without a session: the cohort's people in `roles`. With one: those of its invitees (by
    `session_filter`, their answer or attendance mark) who are still the cohort's people, in
    `roles` (every role when none is chosen)."""
    if session is None:
        return cohort_people(cohort, city_ids=city_ids, roles=roles) if roles else []
    people = cohort_people(cohort, city_ids=city_ids, roles=roles or AudienceRole.values)
    wanted = session_people_ids(session.pk, session_filter)
    return [r for r in people if r.person.pk in wanted]


def announcement_recipients(announcement):
    return audience_recipients(
        announcement.cohort, city_ids=[city.pk for city in announcement.cities.all()], roles=announcement.roles,
        session=announcement.session, session_filter=announcement.session_filter,
    )


@dataclass(frozen=True)
class Preview:
    subject: str
    text: str
    language: str


def announcement_preview(announcement, recipient):
    """The announcement exactly as `recipient` will get it: rendered by the outbox itself, in
    their language and time zone, around the text staff wrote."""
    message = outgoing(KIND, to=recipient.person, context={"announcement": announcement},
                       key=announcement.outbox_key, city=recipient.city, cohort=announcement.cohort)[0]
    message.recipient = recipient.person
    subject, text, _html = render(message, message_kind(KIND), {"announcement": announcement})
    return Preview(subject, text, message.language)


@scopes_disabled()
def outbox_preview(message):
    """(subject, text, problem) of a queued or sent message, rendered as it is (or was) sent.
    A message that cannot be rendered any more says why instead of failing the page."""
    try:
        spec = message_kind(message.kind)
        context = load(message.context, load_rows([message.context]))
        subject, text, _html = render(message, spec, context)
    except Exception as exc:  # a staff page shows what is wrong with a message, never an error page
        return "", "", f"{type(exc).__name__}: {exc}"
    return subject, text, ""


def cohort_announcements(cohort):
    return cohort.announcements.select_related("created_by", "sent_by", "session").prefetch_related("cities")


def cohort_sessions(cohort):
    return cohort.sessions.select_related("city").order_by("-starts_at", "title")


# ---------------------------------------------------------------------------------------------
# The outbox


@scopes_disabled()  # the outbox holds every city's mail; only program staff read it
def outbox_messages(*, status="", kind="", cohort=None, city=None, address="", before=None, after=None, limit=50):
    """One page of outgoing messages, newest first, and whether there are older and newer ones.

    Keyset pages on the primary key (`before`/`after` a message's id) rather than page numbers:
    each page is one query walking an index however deep into 100,000s of rows it is, with no
    count of the whole table. The address matches from its start (addresses are stored in lower
    case), which an index on the address serves."""
    messages = OutgoingMessage.objects.select_related("city", "cohort")
    if status:
        messages = messages.filter(status=status)
    if kind:
        messages = messages.filter(kind=kind)
    if cohort is not None:
        messages = messages.filter(cohort=cohort)
    if city is not None:
        messages = messages.filter(city=city)
    if address:
        messages = messages.filter(to_email__startswith=address.strip().lower())
    if after is not None:
        rows = list(messages.filter(pk__gt=after).order_by("pk")[: limit + 1])
        newer = len(rows) > limit
        rows = rows[:limit][::-1]
        older = True
    else:
        if before is not None:
            messages = messages.filter(pk__lt=before)
        rows = list(messages.order_by("-pk")[: limit + 1])
        older = len(rows) > limit
        rows = rows[:limit]
        newer = before is not None
    return rows, older, newer


@scopes_disabled()
def outbox_message(pk):
    return OutgoingMessage.objects.select_related("city", "cohort", "recipient").filter(pk=pk).first()
