# The program calendar's models now belong to the `agenda` app (its 0001 takes them over on the
# same tables). Only Django's state changes here; no table or row is touched.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cohorts', '0003_absence_warnings'),
        ('agenda', '0001_initial'),
        ('convening', '0002_sessions_in_agenda'),
        ('coaching', '0003_sessions_in_agenda'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='AbsenceWarning'),
                migrations.DeleteModel(name='Attendance'),
                migrations.DeleteModel(name='ReminderLog'),
                migrations.DeleteModel(name='SessionInvitation'),
                migrations.DeleteModel(name='ConveningDay'),
                migrations.DeleteModel(name='Session'),
            ],
            database_operations=[],
        ),
    ]
