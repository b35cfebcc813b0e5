"""A person may belong to one city per cohort: the membership repeats its city's cohort so the
database holds (person, cohort) unique, and on PostgreSQL a composite key keeps that cohort the
city's own."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_cohort(apps, schema_editor):
    Membership = apps.get_model("cohorts", "Membership")
    City = apps.get_model("cohorts", "City")
    for city_id, cohort_id in City.objects.values_list("pk", "cohort_id"):
        Membership.objects.filter(city_id=city_id).update(cohort_id=cohort_id)


def add_pair_key(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite (the embedded default) keeps the pair in step through Membership.save only
    schema_editor.execute(
        "ALTER TABLE cohorts_membership ADD CONSTRAINT membership_city_in_its_cohort "
        "FOREIGN KEY (city_id, cohort_id) REFERENCES cohorts_city (id, cohort_id) "
        "ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED"
    )


def drop_pair_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cohorts_membership DROP CONSTRAINT membership_city_in_its_cohort")


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0006_dashboard_rows"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="cohort",
            field=models.ForeignKey(
                editable=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="memberships", to="cohorts.cohort", verbose_name="cohort",
            ),
        ),
        migrations.RunPython(fill_cohort, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="membership",
            name="cohort",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.PROTECT,
                related_name="memberships", to="cohorts.cohort", verbose_name="cohort",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="memberships",
                to=settings.AUTH_USER_MODEL, verbose_name="person",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(fields=("user", "cohort"), name="one_city_per_person_per_cohort"),
        ),
        migrations.AddConstraint(
            model_name="city",
            constraint=models.UniqueConstraint(fields=("id", "cohort"), name="city_cohort_pair"),
        ),
        migrations.RunPython(add_pair_key, drop_pair_key),
    ]
