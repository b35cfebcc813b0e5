"""The staff outbox: filters, keyset pages of constant cost, a message's preview and reason,
and sending a failed or unsent message again."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopeError, scope, scopes_disabled

from accelerator.models import AuditEvent
from accelerator.outbox.models import OutgoingMessage
from accelerator.tests.queries import assert_num_page_queries
from announcements.models import Announcement
from cohorts.tests.factories import CityFactory, MayorFactory

from .factories import AnnouncementFactory, queued_message

Status = OutgoingMessage.Status
OUTBOX = "/outbox/"


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.users["staff"])
    return client


@pytest.fixture
def mail(world):
    """A sent message to city A's mayor, a failed one to city B's mayor, and one to staff."""
    a = AnnouncementFactory(cohort=world.cohort)
    return {
        "sent": queued_message(world.users["mayor"], city=world.city, announcement=a, status=Status.SENT),
        "failed": queued_message(world.mayor_b, city=world.other_city, announcement=a, status=Status.FAILED,
                                 reason="550 5.1.1 mailbox unavailable"),
        "staff": queued_message(world.users["staff"], cohort=world.cohort, announcement=a),
    }


def shown(response):
    return [m.pk for m in response.context["rows"]]


def test_the_outbox_lists_newest_first_with_status_and_reason(staff_client, mail):
    response = staff_client.get(OUTBOX)
    assert shown(response) == [mail["staff"].pk, mail["failed"].pk, mail["sent"].pk]
    page = response.content.decode()
    assert "550 5.1.1 mailbox unavailable" in page and "Failed" in page and "Beta City" in page


@pytest.mark.parametrize("query,expected", [
    ({"status": "failed"}, ["failed"]),
    ({"status": "sent"}, ["sent"]),
    ({"kind": "announcements.message"}, ["staff", "failed", "sent"]),
    ({"kind": "agenda.session_reminder"}, []),
    ({"city": "alpha"}, ["sent"]),
    ({"city": "beta", "status": "sent"}, []),
    ({"address": "PERSON"}, ["staff", "failed", "sent"]),
])
def test_filters(staff_client, world, mail, query, expected):
    if "address" in query:
        query = {"address": world.mayor_b.email.split("@")[0].upper() + "@"}
        expected = ["failed"]
    assert shown(staff_client.get(OUTBOX, query)) == [mail[name].pk for name in expected]


def test_the_cohort_filter_and_unknown_filters(staff_client, world, mail):
    other = AnnouncementFactory()
    elsewhere = queued_message(MayorFactory(city=CityFactory(cohort=other.cohort)).user, cohort=other.cohort,
                               announcement=other)
    assert elsewhere.pk not in shown(staff_client.get(OUTBOX, {"cohort": world.cohort.slug}))
    assert shown(staff_client.get(OUTBOX, {"cohort": other.cohort.slug})) == [elsewhere.pk]
    response = staff_client.get(OUTBOX, {"status": "asleep", "city": "nowhere", "before": "x", "after": "-"})
    assert response.status_code == 200 and len(shown(response)) == 4
    assert "Some filters were not understood and are ignored." in response.content.decode()


def test_keyset_pages_go_older_and_newer(staff_client, world, settings):
    from announcements.views.outbox import OutboxView

    announcement = AnnouncementFactory(cohort=world.cohort)
    rows = [queued_message(world.users["mayor"], city=world.city, announcement=announcement, key=f"test:{n}")
            for n in range(7)]
    OutboxView.page_size = 3
    try:
        first = staff_client.get(OUTBOX)
        assert shown(first) == [r.pk for r in rows[::-1][:3]] and first.context["older"] and not first.context["newer"]
        second = staff_client.get(OUTBOX, {"before": first.context["oldest_pk"]})
        assert shown(second) == [r.pk for r in rows[::-1][3:6]] and second.context["newer"]
        third = staff_client.get(OUTBOX, {"before": second.context["oldest_pk"]})
        assert shown(third) == [rows[0].pk] and not third.context["older"]
        back = staff_client.get(OUTBOX, {"after": third.context["newest_pk"]})
        assert shown(back) == shown(second)
    finally:
        OutboxView.page_size = 50


def test_the_outbox_runs_the_same_queries_with_more_rows(staff_client, world, mail):
    def grow():
        announcement = AnnouncementFactory(cohort=world.cohort)
        for person, city in ((world.users["member"], world.city), (world.users["outsider"], world.other_city)):
            queued_message(person, city=city, announcement=announcement, status=Status.SENT)

    assert_num_page_queries(staff_client, OUTBOX, expected=5, grow=grow)
    assert_num_page_queries(staff_client, OUTBOX + "?status=sent&city=alpha&address=person", expected=6, grow=grow)


def test_a_message_shows_its_preview_in_the_recipients_language_and_the_reason(staff_client, world, mail):
    world.mayor_b.language = "pt-br"
    world.mayor_b.save(update_fields=["language"])
    failed = mail["failed"]
    with scopes_disabled():
        OutgoingMessage.objects.filter(pk=failed.pk).update(language="pt-br")
    response = staff_client.get(reverse("announcements:outbox_message", kwargs={"pk": failed.pk}))
    page = response.content.decode()
    assert "550 5.1.1 mailbox unavailable" in page and "Send again" in page
    with scopes_disabled():
        subject = Announcement.objects.get().subject
    assert response.context["preview_subject"] == f"[Accelerator] {subject}"
    assert 'lang="pt-br"' in page and "Olá" in response.context["preview_text"]


def test_a_message_whose_row_is_gone_says_why_instead_of_failing(staff_client, world):
    message = queued_message(world.users["mayor"], city=world.city)
    with scopes_disabled():
        gone = {"announcement": {"$m": "announcements.announcement", "pk": 999999}}
        OutgoingMessage.objects.filter(pk=message.pk).update(context=gone)
    response = staff_client.get(reverse("announcements:outbox_message", kwargs={"pk": message.pk}))
    assert response.status_code == 200 and "This message cannot be shown:" in response.content.decode()


@pytest.mark.parametrize("pk", ["0", "abc", "99999999999999999999", "123456"])
def test_an_unknown_message_is_not_found(staff_client, pk):
    assert staff_client.get(f"/outbox/{pk}/").status_code == 404
    assert staff_client.post(f"/outbox/{pk}/resend/").status_code == 404


def test_send_again_queues_a_failed_message_under_its_key_and_audits_it(staff_client, world, mail):
    failed = mail["failed"]
    response = staff_client.post(reverse("announcements:outbox_resend", kwargs={"pk": failed.pk}), follow=True)
    assert "Queued again" in response.content.decode()
    with scopes_disabled():
        failed.refresh_from_db()
        assert failed.status == Status.QUEUED and failed.reason == "" and failed.attempts == 0
        assert AuditEvent.objects.filter(action="outbox.resent", city=world.other_city).count() == 1


def test_a_sent_message_is_not_sent_again(staff_client, mail):
    sent = mail["sent"]
    response = staff_client.post(reverse("announcements:outbox_resend", kwargs={"pk": sent.pk}), follow=True)
    assert "Only a message that failed or was not sent can be sent again." in response.content.decode()
    assert "Send again" not in response.content.decode()
    with scopes_disabled():
        sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_the_menu_shows_the_outbox_to_staff_only(client, world):
    client.force_login(world.users["staff"])
    assert 'href="/outbox/"' in client.get("/me/").content.decode()
    client.force_login(world.users["coach"])
    assert 'href="/outbox/"' not in client.get("/me/").content.decode()


def test_an_old_message_is_found_by_paging(staff_client, world):
    old = queued_message(world.users["mayor"], city=world.city, status=Status.SENT,
                         created_at=timezone.now() - datetime.timedelta(days=400))
    assert old.pk in shown(staff_client.get(OUTBOX, {"status": "sent"}))
    assert Announcement.objects.count() == 1


def test_a_citys_scope_holds_only_that_citys_mail(world, mail):
    """Outgoing messages are city-owned rows: inside one city's scope another city's mail does
    not exist, and without a scope a query raises instead of leaking."""
    with scope(city=world.city):
        assert list(OutgoingMessage.objects.values_list("pk", flat=True)) == [mail["sent"].pk]
    with pytest.raises(ScopeError):
        list(OutgoingMessage.objects.all())
