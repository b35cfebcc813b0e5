"""Two desks checking in the same mayor at the same moment: one row, and the second desk is told.

Needs a database that runs the two desks' transactions side by side (PostgreSQL, as CI has)."""

import threading

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from accelerator.tests.factories import StaffFactory
from agenda.models import Attendance
from convening.services import desk as desk_service
from convening.services.desk import DeskResult, convening_check_in

from .factories import during, make_convening

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_desks_at_once_make_one_check_in(world, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent transactions need PostgreSQL (set DATABASE_URL, as CI does).")
    session = make_convening(world.cohort)
    staff = [world.users["staff"], StaffFactory(full_name="Second Desk Staff")]
    both_checked = threading.Barrier(2, timeout=10)
    real_existing = desk_service._existing

    def existing_after_both_looked(*args):
        row = real_existing(*args)
        both_checked.wait()  # both desks have seen "not checked in yet" before either writes
        return row

    monkeypatch.setattr(desk_service, "_existing", existing_after_both_looked)
    results = [None, None]

    def run(index):
        try:
            # Each thread starts outside any scope: the desk service opens its own.
            results[index] = convening_check_in(
                session=session, actor=staff[index], desk=f"Desk {index + 1}", person=world.users["mayor"],
                identity_confirmed=True, now=during(session.test_days[0]),
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    outcomes = sorted(r.outcome for r in results)
    assert outcomes == [DeskResult.ALREADY, DeskResult.CHECKED_IN]
    with scopes_disabled():  # reads both cities' rows
        assert Attendance.objects.filter(person=world.users["mayor"]).count() == 1
    already = next(r for r in results if r.outcome == DeskResult.ALREADY)
    assert "Already checked in" in already.message
