# Sessions now belong to the `agenda` app, on the same table: only Django's state changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agenda', '0001_initial'),
        ('coaching', '0002_decision_checkpoint_session'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='mayordecision',
                    name='session',
                    field=models.ForeignKey(blank=True, help_text='The checkpoint session where the decision is discussed, if any.', limit_choices_to={'kind': 'checkpoint'}, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='mayor_decisions', to='agenda.session', verbose_name='mayor checkpoint'),
                ),
            ],
            database_operations=[],
        ),
    ]
