import csv
import io

import pytest
from django.urls import reverse

from accelerator.audit import audit_record
from accelerator.exports import neutralise
from accelerator.models import AuditEvent
from cohorts.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("value,expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("Plain", "Plain"), (None, ""), (42, "42"),
])
def test_formula_cells_are_neutralised(value, expected):
    assert neutralise(value) == expected


def test_people_export_holds_only_the_coachs_cities_and_is_safe(client, world):
    MembershipFactory(city=world.city, user__full_name="=cmd|' /C calc'!A0")
    client.force_login(world.users["coach"])
    rows = read_csv(client.get(reverse("cohorts:export_people", kwargs={"cohort_slug": world.cohort.slug})))
    assert rows[0][:2] == ["City", "Name"]
    assert {r[0] for r in rows[1:]} == {world.city.name}
    assert "'=cmd|' /C calc'!A0" in [r[1] for r in rows]
    assert AuditEvent.objects.filter(action="export.people", actor=world.users["coach"]).exists()


def test_staff_cities_export_holds_every_city(client, world):
    client.force_login(world.users["staff"])
    rows = read_csv(client.get(reverse("cohorts:export_cities", kwargs={"cohort_slug": world.cohort.slug})))
    assert {r[0] for r in rows[1:]} == {world.city.name, world.other_city.name}


def test_audit_trail_is_filterable_and_exports(client, world):
    audit_record(city=world.city, actor=world.users["staff"], action="team.role_changed", summary="Role changed")
    audit_record(city=world.city, task="convening.enforce", action="convening.missed", summary="Mayor missed Friday",
                 reason="No check-in")
    audit_record(city=world.other_city, task="x", action="convening.missed", summary="Other city event")
    client.force_login(world.users["staff"])
    url = reverse("city_audit", kwargs={"city_slug": world.city.slug})
    html = client.get(url, {"group": "convening"}).content.decode()
    assert "Mayor missed Friday" in html and "Role changed" not in html and "Other city event" not in html
    response = client.get(url, {"group": "no-such-group", "since": "not-a-date"})
    assert response.status_code == 200
    assert "not understood" in response.content.decode()
    rows = read_csv(client.get(reverse("city_audit_csv", kwargs={"city_slug": world.city.slug}), {"group": "convening"}))
    assert [r[3] for r in rows[1:]] == ["Mayor missed Friday"]
    assert rows[1][1] == "task: convening.enforce" and rows[1][4] == "No check-in"
    assert AuditEvent.objects.filter(city=world.city, action="export.audit_csv").exists()


def test_audit_page_queries_do_not_grow(client, world):
    from accelerator.tests.queries import assert_constant_queries

    client.force_login(world.users["staff"])
    url = reverse("city_audit", kwargs={"city_slug": world.city.slug})

    def grow():
        for _ in range(30):
            audit_record(city=world.city, actor=world.users["staff"], action="team.x", summary="x")

    grow()  # an empty page skips the page query; start from a full page
    assert_constant_queries(client, url, grow)
