"""Every email the reminder log recorded becomes a row of the outbox, under the key the sweeps
now look for, so nothing already sent (or skipped) is sent again after the upgrade. The log's
rows stay where they are, as history."""

from django.db import migrations

KIND_FOR_STEP = {"before": "agenda.session_reminder", "changed": "agenda.session_changed",
                 "cancelled": "agenda.session_cancelled", "nudge": "agenda.session_nudge"}


def forward(apps, schema_editor):
    ReminderLog = apps.get_model("agenda", "ReminderLog")
    ConveningDay = apps.get_model("agenda", "ConveningDay")
    Session = apps.get_model("agenda", "Session")
    OutgoingMessage = apps.get_model("accelerator", "OutgoingMessage")
    days = {d.code: d.pk for d in ConveningDay.objects.all()}
    cohorts = dict(Session.objects.values_list("pk", "cohort_id"))
    rows = []
    for log in ReminderLog.objects.select_related("person").iterator(chunk_size=2000):
        person = log.person
        status = "cancelled" if log.skipped else "sent"
        reason = "Not sent: its moment had passed." if log.skipped else ""
        if log.kind.startswith("convening:"):
            _prefix, day_code, step = log.kind.split(":", 2)
            if day_code not in days:
                continue
            key, kind, topic = f"convening:{day_code}:{step}", "convening.reminder", f"convening.day:{days[day_code]}"
            context = {}
        else:
            kind = KIND_FOR_STEP.get(log.kind.partition("-")[0])
            if kind is None:
                continue
            key, topic = f"session:{log.session_id}:{log.kind}", f"agenda.session:{log.session_id}"
            context = {"session": {"$m": "agenda.session", "pk": log.session_id}, "step": log.kind}
        rows.append(OutgoingMessage(
            key=f"{key}/u{person.pk}", kind=kind, topic=topic, city_id=log.city_id,
            cohort_id=cohorts.get(log.session_id), recipient_id=person.pk, to_email=person.email,
            to_name=person.full_name, language=person.language or "en", time_zone=person.time_zone or "UTC",
            context=context, status=status, attempts=0 if log.skipped else 1, created_at=log.sent_at,
            send_after=log.sent_at, sent_at=None if log.skipped else log.sent_at, reason=reason,
        ))
        if len(rows) >= 2000:
            OutgoingMessage.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    OutgoingMessage.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("agenda", "0003_reminder_skipped"),
        ("accelerator", "0005_outbox"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
