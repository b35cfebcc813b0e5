"""Demo absence streaks in the running cohort: two team members who missed their last two
required sessions (of any kind: a checkpoint between two workshops would end the run), so the
warning the coach and staff received shows on the dashboard."""

from django.utils import timezone

from agenda.models import Attendance, Session, SessionInvitation
from agenda.services.absences import absences_sweep
from cohorts.models import Membership

ABSENT_PEOPLE = ["comms.panama-city@example.org", "equity.montevideo@example.org"]


def seed(context):
    now = timezone.now()
    for email in ABSENT_PEOPLE:
        membership = (Membership.objects.filter(user__email=email).select_related("user", "city")
                      .order_by("-cohort__start_date").first())
        if membership is None:
            continue
        last_two = (
            SessionInvitation.objects.filter(
                person=membership.user, session__required=True, session__ends_at__lt=now,
            )
            .exclude(session__status=Session.Status.CANCELLED)
            .select_related("session")
            .order_by("-session__starts_at")[:2]
        )
        for invitation in last_two:
            Attendance.objects.update_or_create(
                session=invitation.session, person=membership.user, day=None,
                defaults={"city": membership.city, "status": Attendance.Status.ABSENT},
            )
    # The warnings' messages are queued in the outbox like any other; seed_demo records them.
    absences_sweep(cohort_ids=[context["current_cohort"].pk])
