"""The cohort page's heading and downloads list are rendered once per everything they show and
reused: a change to any of it shows at once."""

import datetime

import pytest

from cohorts.models import Cohort

pytestmark = pytest.mark.django_db


def page(client, world):
    return client.get(f"/cohorts/{world.cohort.slug}/").content.decode()


def heading(html):
    return html[html.index("<h1"):html.index("</p>", html.index("<h1"))]


def downloads(html):
    return html[html.index('id="downloads-heading"'):html.index("</section>", html.index('id="downloads-heading"'))]


def test_the_heading_follows_the_cohorts_name_dates_and_status(client, world):
    client.force_login(world.users["staff"])
    before = page(client, world)
    assert heading(page(client, world)) == heading(before)  # read again from the kept copy
    assert "Running" in heading(before)

    Cohort.objects.filter(pk=world.cohort.pk).update(name="Renamed cohort")
    assert "Renamed cohort" in heading(page(client, world))

    Cohort.objects.filter(pk=world.cohort.pk).update(end_date=datetime.date(2027, 4, 30))
    assert "30 April 2027" in heading(page(client, world))

    Cohort.objects.filter(pk=world.cohort.pk).update(status=Cohort.Status.COMPLETED)
    assert "Completed" in heading(page(client, world))


def test_the_links_follow_the_viewers_rights_and_language(client, world):
    client.force_login(world.users["staff"])
    staff = page(client, world)
    for link in ("Edit cohort", "Announcements", "Impact report", "Completion"):
        assert link in heading(staff), link

    client.force_login(world.users["coach"])
    coach = page(client, world)
    assert "Calendar" in heading(coach)
    for link in ("Edit cohort", "Announcements", "Impact report", "Completion"):
        assert link not in heading(coach), link
    assert downloads(coach) == downloads(staff)

    coach = world.users["coach"]
    coach.language = "es"
    coach.save(update_fields=["language"])
    spanish = page(client, world)
    assert "Calendario" in heading(spanish) and "Calendar<" not in heading(spanish)
    assert downloads(spanish) != downloads(staff)
