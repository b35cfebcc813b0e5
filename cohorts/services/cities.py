"""Creating and changing cohorts and cities. Each change is audited in its own transaction; a
city whose participation changes has its invitations to upcoming sessions re-derived."""

from django.db import transaction

from accelerator.audit import audit_record
from agenda.services.session_invitations import invitations_sync

from .dashboard_rows import dashboard_rows_changed
from .teams import city_set_coaches


def cohort_create(*, form, actor):
    """Save a valid CohortForm as a new cohort."""
    with transaction.atomic():
        cohort = form.save()
        audit_record(cohort=cohort, actor=actor, action="cohort.created", data={"cohort_name": cohort.name})
    return cohort


def cohort_update(*, form, actor):
    """Save a valid CohortForm over an existing cohort."""
    with transaction.atomic():
        cohort = form.save()
        # Its dates set the coaching cadence and how far behind a plan may be: every row moves.
        dashboard_rows_changed(cohort_id=cohort.pk)
        return cohort


def city_create(*, form, actor):
    """Save a valid CityForm as a new city of its cohort, with its coaches."""
    with transaction.atomic():
        city = form.save()
        city_set_coaches(city=city, coaches=form.cleaned_data["coaches"], actor=actor)
        audit_record(city=city, actor=actor, action="city.created", data={"city_name": city.name})
    return city


def city_update(*, form, actor):
    """Save a valid CityForm over an existing city. A change of participation status changes
    who is invited to the sessions ahead, so they are re-derived in the same transaction."""
    before = form.initial["status"]
    with transaction.atomic():
        city = form.save()
        city_set_coaches(city=city, coaches=form.cleaned_data["coaches"], actor=actor)
        if before != city.status:
            _status_changed(city=city, before=before, actor=actor)
        dashboard_rows_changed(city_ids=[city.pk])
    return city


def city_set_status(*, city, status, actor):
    """Change only a city's participation status (withdrawn, at risk, …)."""
    with transaction.atomic():
        before = city.status
        if before == status:
            return city
        city.status = status
        city.save(update_fields=["status"])
        _status_changed(city=city, before=before, actor=actor)
    return city


def _status_changed(*, city, before, actor):
    audit_record(city=city, actor=actor, action="city.status_changed", data={"before": before, "after": city.status})
    # Only participating cities are invited: the sessions ahead follow the new status.
    invitations_sync(city_id=city.pk)
    dashboard_rows_changed(city_ids=[city.pk])
