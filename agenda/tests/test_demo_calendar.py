import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from agenda.models import Attendance, Session, SessionInvitation

pytestmark = pytest.mark.django_db

EASTERN = zoneinfo.ZoneInfo("America/New_York")


def test_demo_calendar_shows_a_program_in_progress(settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    convening = Session.objects.get(cohort__slug="2024", kind=Session.Kind.CONVENING)
    days = [(timezone.localtime(d.starts_at, EASTERN),
             timezone.localtime(d.ends_at, EASTERN)) for d in convening.days.all()]
    assert [start.date() for start, _ in days] == [datetime.date(2024, 6, 26), datetime.date(2024, 6, 27),
                                                   datetime.date(2024, 6, 28)]
    assert days[0][0].hour >= 17  # Wednesday evening
    assert days[-1][1].hour <= 15  # Friday until the afternoon
    assert convening.invitations.count() == 12  # the mayors, and only them
    kinds = set(Session.objects.filter(cohort__slug="2024").values_list("kind", flat=True))
    assert kinds == set(Session.Kind.values)
    # Past sessions have answers and attendance; the running cohort has sessions ahead with open answers.
    assert Attendance.objects.filter(session__cohort__slug="2024").count() > 500
    now = timezone.now()
    running = Session.objects.filter(cohort__status="running")
    assert running.filter(ends_at__lte=now).exists() and running.filter(starts_at__gt=now).count() >= 10
    assert SessionInvitation.objects.filter(session__in=running.filter(starts_at__gt=now), response="pending").exists()
    assert SessionInvitation.objects.filter(response="apology").exclude(reason="").exists()

    # The demo's calendar pages open for each role.
    from accelerator.models import User

    current = Session.objects.filter(cohort__status="running").first().cohort
    for email, urls in [
        ("staff@example.org", ["/cohorts/2024/sessions/?month=2024-06", f"/cohorts/{current.slug}/sessions/",
                               convening.get_absolute_url(), f"/sessions/{convening.code}/attendance/"]),
        ("coach@example.org", [f"/cohorts/{current.slug}/sessions/?view=list", "/sessions/"]),
        ("mayor.tulsa@example.org", ["/sessions/", convening.get_absolute_url(), "/cities/tulsa/sessions/"]),
        ("cdo.curitiba@example.org", ["/sessions/", "/cities/curitiba/sessions/"]),
    ]:
        client.force_login(User.objects.get(email=email))
        for url in urls:
            assert client.get(url).status_code == 200, (email, url)
    client.force_login(User.objects.get(email="staff@example.org"))
    june = client.get("/cohorts/2024/sessions/?month=2024-06").content.decode()
    assert june.count("Mayors&#x27; convening") >= 4  # on each of its three days, and in the list
