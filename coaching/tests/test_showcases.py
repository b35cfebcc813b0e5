import os

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope

from coaching.models import EvidenceFile, Showcase
from coaching.services.showcases import showcase_submit

from .factories import PDF_BYTES, EvidenceFileFactory, ShowcaseFactory

pytestmark = pytest.mark.django_db


def url(world, name, **kwargs):
    return reverse(f"coaching:{name}", kwargs={"city_slug": world.city.slug, **kwargs})


def showcase_data(**extra):
    return {
        "title": "Weekly CityStat", "kind": "data_routine", "what_changed": "Heads meet weekly over data.",
        "for_whom": "Department heads", "evidence_links": "https://example.org/dashboard",
        "sustain_plan": "On the standing agenda.", **extra,
    }


def test_team_prepares_a_showcase_with_a_file_that_only_the_city_can_download(client, world):
    with scope(city=world.city):
        client.force_login(world.users["member"])
        upload = SimpleUploadedFile("CityStat minutes.pdf", PDF_BYTES, content_type="application/pdf")
        response = client.post(url(world, "showcase_create"), showcase_data(evidence_file=upload))
        showcase = Showcase.objects.get(city=world.city)
        assert response.status_code == 302 and response["Location"] == showcase.get_absolute_url()
        evidence = showcase.files.get()
        stored = evidence.file.path
        assert stored.startswith(settings.MEDIA_ROOT) and os.path.exists(stored)
        assert "minutes" not in os.path.basename(stored)  # the stored name is random

        download = client.get(url(world, "file_download", code=evidence.code))
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment;")
        assert "CityStat minutes.pdf" in download["Content-Disposition"]
        assert download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content) == PDF_BYTES

        client.force_login(world.users["outsider"])
        assert client.get(url(world, "file_download", code=evidence.code)).status_code == 404
        # Even through the outsider's own city the file is not found.
        other_url = reverse("coaching:file_download", kwargs={"city_slug": world.other_city.slug,
                                                              "code": evidence.code})
        assert client.get(other_url).status_code == 404


def test_a_wrong_file_type_is_explained_and_the_rest_of_the_form_is_kept(client, world):
    client.force_login(world.users["member"])
    upload = SimpleUploadedFile("minutes.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")
    response = client.post(url(world, "showcase_create"), showcase_data(evidence_file=upload))
    assert response.status_code == 200
    html = response.content.decode()
    assert "does not contain what its name says" in html
    assert "Weekly CityStat" in html and "Heads meet weekly over data." in html and "On the standing agenda." in html
    assert not Showcase.objects.exists() and not EvidenceFile.objects.exists()


def test_an_oversize_file_is_explained_and_the_rest_kept(client, world, settings):
    settings.UPLOAD_MAX_BYTES = 16
    client.force_login(world.users["member"])
    upload = SimpleUploadedFile("minutes.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(url(world, "showcase_create"), showcase_data(evidence_file=upload))
    html = response.content.decode()
    assert response.status_code == 200 and "files can be at most 16" in html and "Weekly CityStat" in html


def test_a_good_file_with_another_error_asks_to_choose_it_again(client, world):
    client.force_login(world.users["member"])
    upload = SimpleUploadedFile("minutes.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(url(world, "showcase_create"),
                           showcase_data(evidence_file=upload, title="", evidence_links="not a link"))
    html = response.content.decode()
    assert "choose the file again" in html and "is not a web address" in html
    assert "Heads meet weekly over data." in html


def test_submit_then_feedback_reaches_the_team_by_email(client, world, django_capture_on_commit_callbacks):
    showcase = ShowcaseFactory(city=world.city, created_by=world.users["member"])
    client.force_login(world.users["member"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(world, "showcase_submit", code=showcase.code))
    showcase.refresh_from_db()
    assert showcase.status == Showcase.Status.SUBMITTED
    assert [m.to for m in mail.outbox] == [[world.users["coach"].email]]
    mail.outbox.clear()

    # A submitted showcase can no longer be edited by the team.
    response = client.post(url(world, "showcase_edit", code=showcase.code), showcase_data())
    assert response.status_code == 200 and "can no longer be changed" in response.content.decode()

    client.force_login(world.users["coach"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(world, "showcase_feedback", code=showcase.code), {
            "what_works": "Clear owners.", "to_strengthen": "Publish minutes.", "sustained": "partly",
            "follow_up_on": "",
        })
    assert response.status_code == 302
    showcase.refresh_from_db()
    assert showcase.status == Showcase.Status.FEEDBACK
    # The whole team hears, the mayor too.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.users["member"].email, world.users["mayor"].email])
    email = mail.outbox[0]
    assert "Publish minutes." in email.body and settings.SITE_URL + showcase.get_absolute_url() in email.body


def test_feedback_needs_a_submitted_showcase(client, world):
    showcase = ShowcaseFactory(city=world.city)
    client.force_login(world.users["coach"])
    response = client.post(url(world, "showcase_feedback", code=showcase.code), {
        "what_works": "x", "to_strengthen": "y", "sustained": "yes",
    })
    assert response.status_code == 200 and "not submitted" in response.content.decode()


def test_staff_see_every_showcase_of_the_cohort_and_set_the_cadence(client, world):
    ShowcaseFactory(city=world.city, title="Alpha routine")
    submitted = ShowcaseFactory(city=world.other_city, title="Beta policy")
    with scope(city=world.other_city):  # submitted from city B's showcase page
        showcase_submit(showcase=submitted, actor=world.users["staff"])
    # The requests run outside any wrap: the middleware disables scopes for staff on the cohort page.
    client.force_login(world.users["staff"])
    page_url = reverse("coaching:cohort_showcases", kwargs={"cohort_slug": world.cohort.slug})
    html = client.get(page_url).content.decode()
    assert "Alpha routine" in html and "Beta policy" in html and "Submitted, waiting for feedback" in html
    assert "Save cadence" not in html  # a setting of the cohort, not of its showcases
    # The cadence lives with the cohort's settings: linked from its settings page, saved there.
    edit_url = reverse("cohorts:edit", kwargs={"cohort_slug": world.cohort.slug})
    settings_url = reverse("coaching:cohort_settings", kwargs={"cohort_slug": world.cohort.slug})
    assert settings_url in client.get(edit_url).content.decode()
    response = client.post(settings_url, {"checkin_every_days": "21"})
    assert response.status_code == 302 and response["Location"] == edit_url
    assert world.cohort.coaching_settings.checkin_every_days == 21
    bad = client.post(settings_url, {"checkin_every_days": "zero"})
    assert bad.status_code == 200 and "invalid-feedback" in bad.content.decode()  # said next to the field


def test_team_removes_a_file_from_a_draft(client, world, django_capture_on_commit_callbacks):
    with scope(city=world.city):
        evidence = EvidenceFileFactory(showcase=ShowcaseFactory(city=world.city))
        path = evidence.file.path
        assert os.path.exists(path)
        client.force_login(world.users["member"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url(world, "file_remove", code=evidence.code))
        assert response.status_code == 302
        assert not EvidenceFile.objects.filter(pk=evidence.pk).exists()
        assert not os.path.exists(path)


def test_the_cohorts_showcases_come_fifty_a_page_with_their_latest_feedback(client, world):
    import datetime

    from django.core.cache import cache
    from django_scopes import scopes_disabled

    from accelerator.tests.queries import assert_num_page_queries, count_queries
    from coaching.models import ShowcaseFeedback

    with scopes_disabled():
        first = ShowcaseFactory(city=world.city, title="Aaa first routine", status=Showcase.Status.FEEDBACK)
        ShowcaseFeedback.objects.create(showcase=first, coach=world.users["coach"], what_works="w", to_strengthen="s",
                                        sustained=ShowcaseFeedback.Sustained.NOT_YET)
        ShowcaseFeedback.objects.create(showcase=first, coach=world.users["coach"], what_works="w", to_strengthen="s",
                                        sustained=ShowcaseFeedback.Sustained.PARTLY,
                                        follow_up_on=datetime.date(2026, 5, 4))
        for n in range(50):
            ShowcaseFactory(city=world.other_city, title=f"Beta routine {n}")
    client.force_login(world.users["staff"])
    page_url = reverse("coaching:cohort_showcases", kwargs={"cohort_slug": world.cohort.slug})
    html = client.get(page_url).content.decode()
    assert f"Showcases of {world.cohort.name} (51)" in html and "1 / 2" in html and "?page=2" in html
    assert "Aaa first routine" in html and "Partly" in html and "4 May 2026" in html and "Not yet" not in html
    assert html.count("Beta routine") == 49
    second = client.get(page_url + "?page=2").content.decode()
    assert second.count("Beta routine") == 1 and "Aaa first routine" not in second

    def more():
        with scopes_disabled():
            ShowcaseFactory(city=world.city)

    # Rendered: the page's count and rows in one query, after the key's; kept, the key's alone.
    cache.clear()
    assert_num_page_queries(client, page_url, expected=5, grow=more)
    assert count_queries(client, page_url) == 4


def test_only_staff_are_led_from_a_citys_showcases_to_the_cohorts(client, world):
    cohort_url = reverse("coaching:cohort_showcases", kwargs={"cohort_slug": world.cohort.slug})
    for role, linked in (("staff", True), ("coach", False), ("member", False)):
        client.force_login(world.users[role])
        assert (cohort_url in client.get(url(world, "showcases")).content.decode()) is linked, role
