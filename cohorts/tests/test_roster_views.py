import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from accelerator.tests.queries import assert_num_page_queries
from cohorts.models import City, ImportBatch, RoleInvitation
from cohorts.tests.factories import CityFactory, MembershipFactory
from cohorts.tests.rosters import as_file, roster_rows

pytestmark = pytest.mark.django_db


def upload(client, world, content, name="roster.csv"):
    client.force_login(world.users["staff"])
    url = reverse("cohorts:roster_import", kwargs={"cohort_slug": world.cohort.slug})
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def test_staff_upload_see_the_preview_and_confirm(client, world):
    rows = roster_rows(2)
    rows[3]["email"] = "broken@"
    response = upload(client, world, as_file(rows))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/import/{batch.code}/")
    page = client.get(response["Location"]).content.decode()
    assert "1 row has a problem" in page and "“broken@” is not an email address" in page
    assert "Confirm and import" not in page

    rows[3]["email"] = "fixed@example.org"
    preview_url = upload(client, world, as_file(rows, "xlsx"), "roster.xlsx")["Location"]
    page = client.get(preview_url).content.decode()
    assert "Confirming adds 2 cities, changes 0, sends 10 invitations" in page
    response = client.post(preview_url)
    assert response.status_code == 302 and response["Location"] == world.cohort.get_absolute_url()
    with scopes_disabled():
        assert RoleInvitation.objects.filter(city__cohort=world.cohort).count() == 10
    page = client.get(preview_url).content.decode()
    assert "This file was imported on" in page and "Confirm and import" not in page
    client.post(preview_url)  # a second click imports nothing more
    with scopes_disabled():
        assert RoleInvitation.objects.filter(city__cohort=world.cohort).count() == 10


@pytest.mark.parametrize("content,message", [
    (b"city;name\nX;Y\n", "are missing"),
    ("city,country\nSão Paulo,Brasil\n".encode("latin-1"), "not UTF-8 text"),
])
def test_an_unreadable_file_is_explained_next_to_the_field_and_nothing_is_kept(client, world, content, message):
    response = upload(client, world, content)
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert not ImportBatch.objects.exists()


def test_the_template_and_the_cohort_download_in_the_import_format(client, world):
    client.force_login(world.users["staff"])
    kwargs = {"cohort_slug": world.cohort.slug}
    template = client.get(reverse("cohorts:roster_template", kwargs={**kwargs, "fmt": "csv"}))
    header = template.content.decode("utf-8-sig").splitlines()[0]
    assert header == "city,country,time_zone,language,role,name,email,title"
    export = client.get(reverse("cohorts:roster_export", kwargs={**kwargs, "fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(export.content)).active
    emails = {row[6] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert world.users["mayor"].email in emails and world.users["outsider"].email in emails


def test_the_roster_export_runs_the_same_queries_for_more_cities(client, world):
    client.force_login(world.users["staff"])
    url = reverse("cohorts:roster_export", kwargs={"cohort_slug": world.cohort.slug, "fmt": "csv"})

    def grow():
        with scopes_disabled():
            MembershipFactory(city=CityFactory(cohort=world.cohort))

    assert_num_page_queries(client, url, expected=7, grow=grow)


def test_the_preview_runs_the_same_queries_for_a_longer_file(client, world):
    small = upload(client, world, as_file(roster_rows(1)))["Location"]
    large = upload(client, world, as_file(roster_rows(15)))["Location"]
    assert_num_page_queries(client, small, expected=4)
    assert_num_page_queries(client, large, expected=4)
    with scopes_disabled():
        assert not City.objects.filter(cohort=world.cohort, name="Town 1").exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client, world):
    from cohorts.roster_files import MAX_BYTES

    response = upload(client, world, b"city," + b"x" * MAX_BYTES)
    assert "larger than 2 MB" in response.context["form"].errors["file"][0]
    assert not ImportBatch.objects.exists()
