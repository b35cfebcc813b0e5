# Sessions now belong to the `agenda` app, on the same table: only Django's state changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agenda', '0001_initial'),
        ('convening', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='checkincode',
                    name='session',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checkin_codes', to='agenda.session'),
                ),
                migrations.AlterField(
                    model_name='eligibilityreview',
                    name='session',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='eligibility_reviews', to='agenda.session'),
                ),
                migrations.AlterField(
                    model_name='enforcementstep',
                    name='session',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='agenda.session'),
                ),
                migrations.AlterField(
                    model_name='surrogateattempt',
                    name='day',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='surrogate_attempts', to='agenda.conveningday'),
                ),
                migrations.AlterField(
                    model_name='surrogateattempt',
                    name='session',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='surrogate_attempts', to='agenda.session'),
                ),
            ],
            database_operations=[],
        ),
    ]
