import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accelerator.tests.queries import assert_num_page_queries
from coaching.models import ActionItem
from cohorts.models import Membership

from .factories import ActionItemFactory, CheckInFactory

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_action_items_export_writes_every_column_in_the_readers_language(client, world):
    staff = world.users["staff"]
    staff.language = "es"
    staff.save()
    closed = datetime.datetime(2026, 3, 2, 14, 30, tzinfo=datetime.UTC)
    with scopes_disabled():
        owner = Membership.objects.get(city=world.city, user=world.users["member"])
        checkin = CheckInFactory(city=world.city, held_on=datetime.date(2026, 2, 20))
        ActionItemFactory(city=world.city, checkin=checkin, what="=HYPERLINK(x)", owner=owner,
                          due_on=datetime.date(2026, 3, 1), status=ActionItem.Status.DONE, closed_at=closed)
        ActionItemFactory(city=world.city, checkin=checkin, what="Unowned", owner=None, due_on=None)
    url = reverse("coaching:export_action_items", kwargs={"cohort_slug": world.cohort.slug})
    client.force_login(staff)
    header, *rows = read_csv(client.get(url))
    assert header[0] == "Ciudad"
    assert rows == [
        [world.city.name, "'=HYPERLINK(x)", owner.user.full_name, "2026-03-01", "Completada", "2026-02-20",
         "2026-03-02T14:30+00:00"],
        [world.city.name, "Unowned", "", "", "Abierta", "2026-02-20", ""],
    ]

    def add_items():
        with scopes_disabled():
            later = CheckInFactory(city=world.other_city, held_on=timezone.localdate())
            ActionItemFactory(city=world.other_city, checkin=later)

    assert_num_page_queries(client, url, expected=5, grow=add_items)


def test_a_long_export_is_read_a_chunk_at_a_time_with_every_row_once_in_order(client, world, monkeypatch):
    from coaching.views import exports

    with scopes_disabled():
        for city, days in ((world.city, (3, 1, 1)), (world.other_city, (2, 2, 5))):
            for n, ago in enumerate(days):
                checkin = CheckInFactory(city=city, held_on=timezone.localdate() - datetime.timedelta(days=ago))
                for k in range(2):
                    ActionItemFactory(city=city, checkin=checkin, what=f"{city.slug} {ago} {n} {k}")
    url = reverse("coaching:export_action_items", kwargs={"cohort_slug": world.cohort.slug})
    client.force_login(world.users["staff"])
    whole = read_csv(client.get(url))
    assert len(whole) == 13
    for chunk in (1, 2, 5):
        monkeypatch.setattr(exports, "CHUNK", chunk)
        assert read_csv(client.get(url)) == whole
