"""Convening outcomes marked by hand before they were derived are derived once from their segments
and the cities' decisions, as `convening.services.outcome` does from now on; the segment marks
themselves are untouched. An outcome that cannot be derived yet (no segment behind it, or a
convening under way) is kept but marked as by hand, so nothing is lost and the ledger's consistency
check still names it until the next change derives it.

It uses the service's pure derivation (`convening_outcome`, which reads no model) so the one rule
is written once."""

from django.db import migrations
from django.utils import timezone

from convening.services.outcome import MISSING, NOT_YET, convening_outcome

RESTORED = ("excused", "eligible")


def derive(apps, schema_editor):
    Session = apps.get_model("agenda", "Session")
    Attendance = apps.get_model("agenda", "Attendance")
    Membership = apps.get_model("cohorts", "Membership")
    EligibilityReview = apps.get_model("convening", "EligibilityReview")
    now = timezone.now()
    for session in Session.objects.filter(kind="convening"):
        days = list(session.days.order_by("starts_at"))
        if not days:
            continue
        counted = [d for d in days if d.required] if session.required else []
        counted = counted or days
        marks = {(a.person_id, a.day_id): a for a in Attendance.objects.filter(session=session, day__isnull=False)}
        people = {a.person_id: a for a in marks.values()}
        mayors = set(Membership.objects.filter(user_id__in=people, role="mayor").values_list("user_id", flat=True))
        reviews = {r.city_id: r for r in EligibilityReview.objects.filter(session=session)}
        for row in Attendance.objects.filter(session=session, day__isnull=True):
            if row.person_id not in people:
                row.source = "manual"
                row.save(update_fields=["source"])
                continue
            statuses = [marks[(row.person_id, d.pk)].status if (row.person_id, d.pk) in marks
                        else (MISSING if now >= d.ends_at else NOT_YET) for d in counted]
            review = reviews.get(row.city_id) if row.person_id in mayors else None
            decided = review is not None and review.state != "pending_review"
            status = convening_outcome(statuses, restored=decided and review.state in RESTORED)
            if status is None:  # a convening under way: the next check-in derives it
                row.source = "manual"
                row.save(update_fields=["source"])
                continue
            missed = status in ("absent", "surrogate_refused") or (decided and status == "excused")
            row.status = status
            row.source = "staff_decision" if decided and missed else "derived"
            row.marked_by_id = review.decided_by_id if decided and missed else None
            row.save(update_fields=["status", "source", "marked_by"])


class Migration(migrations.Migration):

    dependencies = [
        ("agenda", "0005_attendance_source_and_convening_outcomes"),
        ("cohorts", "0005_languages"),
        ("convening", "0002_sessions_in_agenda"),
    ]

    operations = [
        migrations.RunPython(derive, migrations.RunPython.noop),
    ]
