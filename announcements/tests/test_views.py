"""The announcement pages: the form says what is wrong next to the field, the preview lists
every recipient and renders the chosen one's message, send and archive are POSTs."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accelerator.outbox.models import OutgoingMessage
from accelerator.tests.queries import assert_num_page_queries
from agenda.models import Session
from agenda.tests.factories import create_session
from announcements.models import Announcement, AudienceRole, SessionFilter
from cohorts.tests.factories import CityFactory, MayorFactory

from .factories import AnnouncementFactory, mark


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.users["staff"])
    return client


def list_url(world):
    return reverse("announcements:list", kwargs={"cohort_slug": world.cohort.slug})


def create_url(world):
    return reverse("announcements:create", kwargs={"cohort_slug": world.cohort.slug})


def preview_url(announcement):
    return reverse("announcements:preview", kwargs={"cohort_slug": announcement.cohort.slug,
                                                    "code": announcement.code})


def test_writing_a_draft_leads_to_its_review(staff_client, world):
    response = staff_client.post(create_url(world), {
        "subject": "Showcase day", "body": "Bring your team.", "roles": [AudienceRole.MAYOR],
        "cities": [world.city.pk],
    })
    announcement = Announcement.objects.get()
    assert response.status_code == 302 and response["Location"] == preview_url(announcement)
    assert announcement.is_draft and announcement.created_by == world.users["staff"]
    assert list(announcement.cities.all()) == [world.city]
    page = staff_client.get(preview_url(announcement)).content.decode()
    assert world.users["mayor"].full_name in page and world.mayor_b.full_name not in page
    assert "Send to 1 person" in page


def test_an_empty_audience_is_refused_next_to_the_audience_fields(staff_client, world):
    session = create_session(world, days_ahead=-1, audience=Session.Audience.MAYORS_AND_TEAMS)
    response = staff_client.post(create_url(world), {
        "subject": "Slides", "body": "On the portal.", "session": session.code,
        "session_filter": [SessionFilter.ABSENT],
    })
    assert response.status_code == 200 and not Announcement.objects.exists()
    page = response.content.decode()
    errors = page.index('id="audience-errors"')
    assert page.index("<legend") < errors < page.index('name="cities"')
    assert "Nobody is in this audience." in page


@pytest.mark.parametrize("data,field,message", [
    ({"subject": "", "body": "x", "roles": ["mayor"]}, "subject", "This field is required."),
    ({"subject": "x", "body": "x"}, "roles", "Choose at least one role, or a session."),
    ({"subject": "x", "body": "x", "roles": ["president"]}, "roles", "Select a valid choice."),
    ({"subject": "x", "body": "x", "session": "no-such-code"}, "session", "Select a valid choice."),
    ({"subject": "x", "body": "x", "roles": ["mayor"], "session_filter": ["attendance:absent"]},
     "session_filter", "Choose the session"),
    ({"subject": "x", "body": "x", "roles": ["mayor"], "cities": ["999999"]}, "cities", "Select a valid choice."),
    ({"subject": "x", "body": "x", "roles": ["mayor"], "cities": ["not-a-number"]}, "cities", "is not a valid"),
])
def test_bad_input_is_shown_next_to_its_field(staff_client, world, data, field, message):
    response = staff_client.post(create_url(world), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and any(message in e for e in errors[field]), errors


def test_another_cohorts_city_and_session_are_not_choices(staff_client, world):
    other = CityFactory(name="Gamma City")
    MayorFactory(city=other)
    foreign = create_session(world, title="Foreign", audience=Session.Audience.MAYORS)
    Session.objects.filter(pk=foreign.pk).update(cohort=other.cohort)
    response = staff_client.post(create_url(world), {"subject": "x", "body": "x", "roles": ["mayor"],
                                                     "cities": [other.pk]})
    assert "cities" in response.context["form"].errors
    response = staff_client.post(create_url(world), {"subject": "x", "body": "x", "session": foreign.code})
    assert "session" in response.context["form"].errors
    assert "Gamma City" not in response.content.decode()


def test_the_preview_shows_the_chosen_recipient_in_their_language(staff_client, world):
    world.mayor_b.language = "pt-br"
    world.mayor_b.save(update_fields=["language"])
    announcement = AnnouncementFactory(cohort=world.cohort, subject="Showcase day", body="Bring your team.")
    response = staff_client.get(preview_url(announcement), {"to": world.mayor_b.pk})
    assert response.context["chosen"].person == world.mayor_b
    preview = response.context["preview"]
    assert preview.language == "pt-br" and preview.subject.endswith("Showcase day")
    assert "Bring your team." in preview.text and world.mayor_b.full_name in preview.text
    page = response.content.decode()
    assert 'lang="pt-br" id="preview-text"' in page
    rows = [r.person for r in response.context["recipients"]]
    assert rows == [world.users["mayor"], world.mayor_b]  # by city: Alpha, then Beta


def test_an_unknown_recipient_in_the_preview_shows_the_first(staff_client, world):
    announcement = AnnouncementFactory(cohort=world.cohort)
    for value in ("abc", str(world.users["outsider"].pk), "99999999999999999999"):
        response = staff_client.get(preview_url(announcement), {"to": value})
        assert response.status_code == 200 and response.context["chosen"].person == world.users["mayor"]


def test_send_from_the_preview_and_again(staff_client, world):
    announcement = AnnouncementFactory(cohort=world.cohort)
    url = reverse("announcements:send", kwargs={"cohort_slug": world.cohort.slug, "code": announcement.code})
    response = staff_client.post(url, follow=True)
    assert "Sent: 2 messages are on their way." in response.content.decode()
    response = staff_client.post(url, follow=True)
    assert "This announcement was sent already." in response.content.decode()
    with scopes_disabled():
        assert OutgoingMessage.objects.count() == 2
    page = staff_client.get(list_url(world)).content.decode()
    assert announcement.subject in page


def test_sending_an_emptied_audience_says_so(staff_client, world):
    session = create_session(world, days_ahead=-1, audience=Session.Audience.MAYORS_AND_TEAMS)
    mark(session, world.users["member"], world.city, "absent")
    announcement = AnnouncementFactory(cohort=world.cohort, roles=[], session=session,
                                       session_filter=[SessionFilter.ABSENT])
    with scopes_disabled():
        session.attendance.update(status="present")
    preview = staff_client.get(preview_url(announcement)).content.decode()
    assert "Nobody is in this audience, so it cannot be sent." in preview and "Send to" not in preview
    url = reverse("announcements:send", kwargs={"cohort_slug": world.cohort.slug, "code": announcement.code})
    page = staff_client.post(url, follow=True).content.decode()
    assert "Nobody is in this audience, so there is no one to send it to." in page


def test_a_sent_announcement_is_not_edited(staff_client, world):
    announcement = AnnouncementFactory(cohort=world.cohort, status=Announcement.Status.SENT)
    url = reverse("announcements:edit", kwargs={"cohort_slug": world.cohort.slug, "code": announcement.code})
    assert staff_client.get(url)["Location"] == preview_url(announcement)
    response = staff_client.post(url, {"subject": "Changed", "body": "x", "roles": ["mayor"]})
    assert response.status_code == 200 and "can no longer be changed" in response.content.decode()
    announcement.refresh_from_db()
    assert announcement.subject != "Changed"


def test_archive_and_restore_keep_the_draft(staff_client, world):
    announcement = AnnouncementFactory(cohort=world.cohort, subject="Old idea")
    url = reverse("announcements:archive", kwargs={"cohort_slug": world.cohort.slug, "code": announcement.code})
    staff_client.post(url)
    announcement.refresh_from_db()
    assert announcement.is_archived
    page = staff_client.get(list_url(world)).content.decode()
    assert page.index("Archived drafts") < page.index("Old idea")
    staff_client.post(url, {"restore": "1"})
    announcement.refresh_from_db()
    assert not announcement.is_archived


def test_an_announcement_of_another_cohort_is_not_found_under_this_one(staff_client, world):
    announcement = AnnouncementFactory()
    url = reverse("announcements:preview", kwargs={"cohort_slug": world.cohort.slug, "code": announcement.code})
    assert staff_client.get(url).status_code == 404


def test_the_list_and_preview_run_the_same_queries_with_more_rows(staff_client, world):
    announcement = AnnouncementFactory(cohort=world.cohort)
    announcement.cities.set([world.city, world.other_city])

    def grow():
        AnnouncementFactory(cohort=world.cohort, status=Announcement.Status.SENT).cities.set([world.city])
        AnnouncementFactory(cohort=world.cohort).cities.set([world.other_city])
        MayorFactory(city=CityFactory(cohort=world.cohort))

    assert_num_page_queries(staff_client, list_url(world), expected=5, grow=grow)
    assert_num_page_queries(staff_client, preview_url(announcement), expected=6, grow=grow)
