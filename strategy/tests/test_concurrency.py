"""Two saves racing on PostgreSQL with the same base version: exactly one wins, the other is
told about the conflict, and there is one revision."""

import threading

import pytest
from django.db import connection, connections
from django_scopes import scope

from ..models import Revision, Section
from ..services.editing import EditConflict, unit_save
from .factories import section

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions (PostgreSQL)")
def test_racing_saves_one_wins_one_conflicts(world):
    with scope(city=world.city):
        unit = section(world.city)
        barrier = threading.Barrier(2)
        outcomes = []

        def save(user, text):
            from django_scopes import scopes_disabled

            try:
                with scopes_disabled():
                    barrier.wait()
                    unit_save(city=world.city, actor=user, unit=unit, values={"text": text}, base_version=1)
                    outcomes.append("saved")
            except EditConflict:
                outcomes.append("conflict")
            finally:
                connections.close_all()

        threads = [threading.Thread(target=save, args=(world.users[role], role)) for role in ("mayor", "member")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["conflict", "saved"]
        assert Section.objects.get(pk=unit.pk).version == 2
        assert Revision.objects.filter(unit_code=unit.code).count() == 1
