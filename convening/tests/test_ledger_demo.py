"""The demo's convening ledgers agree with themselves, against one seeding of the demo for the
module (seeded inside a transaction rolled back at the end, as in accelerator/tests/test_demo.py)."""

import csv
import io

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accelerator.models import User
from agenda.models import Attendance, Session
from cohorts.models import Membership, Role
from convening.selectors import ledger_contradictions

S = Attendance.Status


# The demo, seeded once for this module (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_seeded")]


def mayor_rows(city_slug):
    """The city's mayor's rows of her cohort's convening: {segment label or None: row}."""
    mayor = Membership.objects.get(city__slug=city_slug, role=Role.MAYOR)
    convening = (Session.objects.filter(cohort=mayor.city.cohort, kind=Session.Kind.CONVENING, required=True)
                 .order_by("starts_at").first())
    rows = Attendance.objects.filter(session=convening, person=mayor.user).select_related("day", "marked_by")
    return convening, {(row.day.label if row.day else None): row for row in rows}


@scopes_disabled()  # the demo's convenings span every city of their cohorts
def test_every_demo_convening_is_consistent_and_marked_nowhere_apart():
    for convening in Session.objects.filter(kind=Session.Kind.CONVENING):
        assert ledger_contradictions(convening) == [], convening


@scopes_disabled()  # reads the demo's cities
def test_bogota_present_every_day_reads_present_for_the_convening():
    _convening, rows = mayor_rows("bogota")
    segments = [row.status for label, row in rows.items() if label]
    assert len(segments) == 3 and set(segments) <= set(Attendance.ATTENDED)
    assert rows[None].status in Attendance.ATTENDED and rows[None].status != S.EXCUSED
    assert rows[None].source == Attendance.Source.DERIVED


@scopes_disabled()  # reads the demo's cities
def test_merida_absent_on_friday_with_a_refused_stand_in_reads_so():
    convening, rows = mayor_rows("merida")
    assert convening.cohort.slug == "2024"
    friday = [row for label, row in rows.items() if label and label.startswith("Friday")]
    assert len(friday) == 1
    assert (friday[0].status, friday[0].source) == (S.SURROGATE_REFUSED, Attendance.Source.DESK)
    assert friday[0].marked_by is not None and friday[0].marked_by.is_staff
    # Pending review, so no staff decision has excused it: the convening reads what Friday was.
    assert rows[None].status == S.SURROGATE_REFUSED


def test_the_demo_attendance_csv_shows_meridas_refusal(client):
    staff = User.objects.get(email="staff@example.org")
    client.force_login(staff)
    response = client.get(reverse("agenda:export_attendance", kwargs={"cohort_slug": "2024"}))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    rows = [dict(zip(header, row, strict=True)) for row in rows]
    refused = [r for r in rows if r["City"] == "Mérida" and r["Attendance"] == "Surrogate refused"]
    assert {r["Segment"].split(":")[0] for r in refused} == {"Friday", ""}
    friday = next(r for r in refused if r["Segment"])
    assert friday["Source"] == "Check-in desk" and friday["Operator"] and "refused" in friday["Note"]
    bogota = [r for r in rows if r["City"] == "Bogotá" and r["Kind"] == "Mayors' convening" and not r["Segment"]]
    assert [r["Attendance"] for r in bogota] != ["Excused"] and bogota
