from accelerator.outbox.models import OutgoingMessage
from accelerator.tests.access import ANON, COACH, MAYOR, MEMBER, OTHER_COACH, OUTSIDER, STAFF, Page

from .factories import AnnouncementFactory, queued_message

# Staff only, and everyone else gets the answer a page that does not exist gets: announcements
# and the outbox name people of every city.
STAFF_ONLY = {ANON: 302, OUTSIDER: 404, MEMBER: 404, MAYOR: 404, OTHER_COACH: 404, COACH: 404, STAFF: 200}
STAFF_POST = {**STAFF_ONLY, STAFF: 302}


def cohort(world):
    return {"cohort_slug": world.cohort.slug}


def announcement(world):
    return {"cohort_slug": world.cohort.slug, "code": AnnouncementFactory(cohort=world.cohort).code}


def message(world):
    return {"pk": queued_message(world.users["mayor"], city=world.city).pk}


def failed_message(world):
    return {"pk": queued_message(world.users["mayor"], city=world.city, status=OutgoingMessage.Status.FAILED,
                                 reason="550 mailbox unavailable").pk}


PAGES = [
    Page("announcements:list", STAFF_ONLY, cohort),
    Page("announcements:create", STAFF_ONLY, cohort),
    Page("announcements:preview", STAFF_ONLY, announcement),
    Page("announcements:edit", STAFF_ONLY, announcement),
    Page("announcements:send", STAFF_POST, announcement, method="post"),
    Page("announcements:archive", STAFF_POST, announcement, method="post"),
    Page("announcements:outbox", STAFF_ONLY),
    Page("announcements:outbox_message", STAFF_ONLY, message),
    Page("announcements:outbox_resend", STAFF_POST, failed_message, method="post"),
]
