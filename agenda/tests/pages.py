from accelerator.tests.access import (
    ANON,
    COACH,
    MAYOR,
    MEMBER,
    OTHER_COACH,
    OUTSIDER,
    STAFF,
    Page,
    city_page,
    staff_page,
)
from cohorts.tests.pages import COHORT_EXPORT, COHORT_PAGE, city, cohort


# The program calendar. A coaching session of city A is the leak probe: city B's people and coach
# must not even learn it exists.
def _coaching(world):
    from agenda.tests.factories import coaching_session

    return {"code": coaching_session(world).code}


def _feed(world):
    from agenda.services.calendar_feed import calendar_token_renew

    return {"token": calendar_token_renew(user=world.users["member"])}


def _attended_checkpoint(world):
    """A mayor checkpoint of city A that its team member attended (city A's people and coach see
    it; city B's do not)."""
    from agenda.models import Attendance, Session
    from agenda.tests.factories import create_session

    session = create_session(world, days_ahead=-2, kind=Session.Kind.CHECKPOINT, title="Mayor checkpoint",
                             city=world.city, audience=Session.Audience.CITY)
    Attendance.objects.create(session=session, person=world.users["member"], city=world.city,
                              status=Attendance.Status.PRESENT)
    return {"code": session.code}


SESSION_PAGE = {ANON: 302, OUTSIDER: 404, OTHER_COACH: 404, MEMBER: 200, MAYOR: 200, COACH: 200, STAFF: 200}
SESSION_STAFF_PAGE = {**SESSION_PAGE, MEMBER: 403, MAYOR: 403, COACH: 403}
SIGNED_IN = dict.fromkeys((OUTSIDER, MEMBER, MAYOR, OTHER_COACH, COACH, STAFF), 200)

PAGES = [
    Page("agenda:export_attendance", COHORT_EXPORT, cohort),
    Page("agenda:sessions", COHORT_PAGE, cohort),
    Page("agenda:session_create", staff_page(), cohort),
    Page("agenda:my_sessions", {ANON: 302, **SIGNED_IN}),
    Page("agenda:calendar_token", {ANON: 302, **dict.fromkeys(SIGNED_IN, 302)}, method="post"),
    Page("agenda:session", SESSION_PAGE, _coaching),
    Page("agenda:session_ics", SESSION_PAGE, _coaching),
    Page("agenda:session_edit", SESSION_STAFF_PAGE, _coaching),
    Page("agenda:session_cancel", SESSION_STAFF_PAGE, _coaching),
    Page("agenda:session_nudge", {**SESSION_STAFF_PAGE, STAFF: 302}, _coaching, method="post"),
    Page("agenda:session_attendance", {**SESSION_PAGE, MEMBER: 403, MAYOR: 403}, _coaching),
    Page("agenda:session_attendance_import", {**SESSION_PAGE, MEMBER: 403, MAYOR: 403}, _coaching),
    Page("agenda:cohort_attendance_settings", staff_page(), cohort),
    # Only the attendee may answer; to everyone else the form does not exist.
    Page("agenda:session_feedback", {**dict.fromkeys(SESSION_PAGE, 404), ANON: 302, MEMBER: 200},
         _attended_checkpoint),
    Page("agenda:session_feedback_results", {**SESSION_STAFF_PAGE, COACH: 200}, _attended_checkpoint),
    Page("agenda:cohort_feedback", COHORT_PAGE, cohort),
    Page("agenda:export_feedback", COHORT_EXPORT, cohort),
    Page("agenda:calendar_feed", {ANON: 200, **SIGNED_IN}, _feed),
    Page("agenda:city_sessions", city_page(), city),
]
