"""Who attended a check-in becomes an explicit model over the same table, whose links to the
check-in and the membership are protected: the table itself does not change."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("coaching", "0004_history_is_protected_from_deletes"),
        ("cohorts", "0009_history_kept_alumni_and_ended_memberships"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CheckInAttendee",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("checkin", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                      to="coaching.checkin")),
                        ("membership", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                         to="cohorts.membership")),
                    ],
                    options={
                        "verbose_name": "check-in attendee",
                        "verbose_name_plural": "check-in attendees",
                        "db_table": "coaching_checkin_attendees",
                        "unique_together": {("checkin", "membership")},
                    },
                ),
                migrations.AlterField(
                    model_name="checkin",
                    name="attendees",
                    field=models.ManyToManyField(blank=True, related_name="checkins_attended",
                                                 through="coaching.CheckInAttendee", to="cohorts.membership",
                                                 verbose_name="who attended"),
                ),
            ],
            database_operations=[],
        ),
    ]
