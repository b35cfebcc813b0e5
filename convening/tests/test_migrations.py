"""Outcomes marked by hand before they were derived are derived by the migration that introduced
the derivation; the segment marks stay as they were."""

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from agenda.models import Attendance
from convening.selectors import ledger_contradictions
from convening.services.desk import convening_check_in

from .factories import after, during, make_convening


def segment_marks():
    return Attendance.objects.filter(day__isnull=False).order_by("pk").values_list("pk", "status", "marked_at")


@pytest.mark.django_db(transaction=True)
def test_a_mark_set_apart_before_the_derivation_is_derived_by_the_migration(world):
    session = make_convening(world.cohort)
    mayor = world.users["mayor"]
    with scopes_disabled():  # the desk and the convening span both cities
        for day in session.test_days:
            convening_check_in(session=session, actor=world.users["staff"], person=mayor, identity_confirmed=True,
                               now=during(day))
        # As the demo and the attendance page used to write it: "excused" for a mayor there every day.
        Attendance.objects.filter(session=session, day__isnull=True).update(status="excused", source="manual")
        segments = list(segment_marks())
        assert ledger_contradictions(session, now=after(session))

    call_command("migrate", "convening", "0002", verbosity=0)
    call_command("migrate", verbosity=0)

    with scopes_disabled():  # both cities
        outcome = Attendance.objects.get(session=session, day__isnull=True)
        assert (outcome.status, outcome.source) == ("present", "derived")
        assert list(segment_marks()) == segments
        assert ledger_contradictions(session, now=after(session)) == []
