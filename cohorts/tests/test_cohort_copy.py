"""Copying a cohort: the pattern on new dates at the same time of day, the chosen cities again
with their teams and coaches, a preview before anything is created, all or nothing, audited.
(The copy of the demo's 2024 cohort is in accelerator/tests/test_demo.py.)"""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accelerator.errors import RuleViolation
from accelerator.models import AuditEvent
from agenda.models import ConveningDay, Session, SessionInvitation
from agenda.tests.factories import create_session
from coaching.models.settings import CoachingSettings
from cohorts.copying import CopyPart, CopyRequest, shift_in_zone
from cohorts.models import City, CoachAssignment, Cohort, Membership
from cohorts.services.cohort_copy import cohort_copy

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def _request(world, *, cities=(), slug="next", start=None):
    source = world.cohort
    return CopyRequest(source=source, name="Next cohort", slug=slug,
                       start_date=start or source.start_date + datetime.timedelta(days=364), cities=list(cities))


def _coaching(world, city, title):
    return create_session(world, kind=Session.Kind.COACHING, title=title, city=city, audience=Session.Audience.CITY)


def test_a_time_keeps_its_wall_clock_across_daylight_saving():
    winter = timezone.make_aware(datetime.datetime(2027, 1, 12, 9, 0), CHICAGO)
    summer = shift_in_zone(winter, 182, CHICAGO)
    assert timezone.localtime(summer, CHICAGO).replace(tzinfo=None) == datetime.datetime(2027, 7, 13, 9, 0)
    utc = datetime.UTC
    assert summer.astimezone(utc) - winter.astimezone(utc) == datetime.timedelta(days=182, hours=-1)  # DST began


def test_the_copy_moves_every_session_and_enrols_the_chosen_cities_with_their_teams(world):
    staff = world.users["staff"]
    workshop = create_session(world, title="Workshop", time_zone="America/Chicago")
    with scopes_disabled():
        coaching_a = _coaching(world, world.city, "Coaching A")
        coaching_b = _coaching(world, world.other_city, "Coaching B")
        cancelled = create_session(world, title="Cancelled one")
        Session.objects.filter(pk=cancelled.pk).update(status=Session.Status.CANCELLED)
        CoachingSettings.objects.create(cohort=world.cohort, checkin_every_days=10)
        before = {
            "sessions": Session.objects.filter(cohort=world.cohort).count(),
            "memberships": list(Membership.objects.filter(city=world.city).values_list("pk", "user", "role")),
        }
        target = cohort_copy(request=_request(world, cities=[world.city]), actor=staff)

        assert (target.start_date - world.cohort.start_date).days == 364 and target.status == Cohort.Status.PLANNED
        assert target.end_date == world.cohort.end_date + datetime.timedelta(days=364)
        copies = {s.title: s for s in Session.objects.filter(cohort=target)}
        # The cancelled session and city B's coaching (B was not enrolled again) stay behind.
        assert set(copies) == {"Workshop", "Coaching A"}
        for original in (workshop, coaching_a):
            copy = copies[original.title]
            zone = zoneinfo.ZoneInfo(original.time_zone)
            for field in ("starts_at", "ends_at"):
                old, new = (timezone.localtime(getattr(s, field), zone) for s in (original, copy))
                assert new.replace(tzinfo=None) == old.replace(tzinfo=None) + datetime.timedelta(days=364)
            assert (copy.kind, copy.audience, copy.required) == (original.kind, original.audience, original.required)
        again = City.objects.get(cohort=target)
        assert (again.name, again.slug) == (world.city.name, f"{world.city.slug}-next")
        assert copies["Coaching A"].city == again
        assert set(Membership.objects.filter(city=again).values_list("user", "role")) == {
            (user, role) for _pk, user, role in before["memberships"]}
        assert list(CoachAssignment.objects.filter(city=again).values_list("coach", flat=True)) == [
            world.users["coach"].pk]
        assert CoachingSettings.objects.get(cohort=target).checkin_every_days == 10
        # The team is invited to its new sessions; the source's history is as it was.
        assert SessionInvitation.objects.filter(session=copies["Coaching A"], person=world.users["member"]).exists()
        assert Session.objects.filter(cohort=world.cohort).count() == before["sessions"]
        assert list(Membership.objects.filter(city=world.city).values_list("pk", "user", "role")) == before[
            "memberships"]
        event = AuditEvent.objects.get(action="cohort.copied")
        assert event.cohort == target and event.data["sessions"] == 2 and event.data["cities"] == 1
    assert coaching_b.title not in copies


def test_convening_days_move_with_their_session(world):
    with scopes_disabled():
        start = timezone.make_aware(datetime.datetime(2026, 11, 4, 17, 0), CHICAGO)
        convening = Session.objects.create(
            cohort=world.cohort, kind=Session.Kind.CONVENING, title="Convening", audience=Session.Audience.MAYORS,
            starts_at=start, ends_at=start + datetime.timedelta(hours=46), time_zone="America/Chicago", venue="Hall",
        )
        for n in range(2):
            ConveningDay.objects.create(session=convening, label=f"Day {n + 1}",
                                        starts_at=start + datetime.timedelta(days=n),
                                        ends_at=start + datetime.timedelta(days=n, hours=4))
        target = cohort_copy(request=_request(world, start=world.cohort.start_date + datetime.timedelta(days=182)),
                             actor=world.users["staff"])
        copy = Session.objects.get(cohort=target)
        walls = [(d.label, timezone.localtime(d.starts_at, CHICAGO).replace(tzinfo=None)) for d in copy.days.all()]
        assert walls == [("Day 1", datetime.datetime(2027, 5, 5, 17, 0)), ("Day 2", datetime.datetime(2027, 5, 6, 17))]


def test_the_copy_is_all_or_nothing(world, monkeypatch):
    def broken(request, target, city_map, actor):
        raise RuleViolation("broken part")

    monkeypatch.setattr("cohorts.services.cohort_copy.copy_parts",
                        lambda: [CopyPart("broken", "Broken", lambda request: [], broken)])
    with scopes_disabled():
        cities = City.objects.count()
        with pytest.raises(RuleViolation):
            cohort_copy(request=_request(world, cities=[world.city]), actor=world.users["staff"])
        assert not Cohort.objects.filter(slug="next").exists() and City.objects.count() == cities


def test_only_staff_copy(world):
    with pytest.raises(RuleViolation):
        cohort_copy(request=_request(world), actor=world.users["coach"])


def test_the_page_previews_then_copies(client, world):
    with scopes_disabled():
        _coaching(world, world.city, "Coaching A")
    client.force_login(world.users["staff"])
    url = reverse("cohorts:copy", kwargs={"cohort_slug": world.cohort.slug})
    assert client.get(url).status_code == 200
    form = {"name": "Next cohort", "slug": "next", "start_date": "2027-10-01", "cities": [world.city.pk]}
    preview = client.post(url, form)
    page = preview.content.decode()
    assert preview.status_code == 200 and "What the copy will create" in page
    assert "Coaching A" in page and f"/cities/{world.city.slug}-next/" in page
    assert not Cohort.objects.filter(slug="next").exists()  # nothing until confirmed
    done = client.post(url, {**form, "confirm": "1"})
    assert done.status_code == 302 and done.url == reverse("cohorts:edit", kwargs={"cohort_slug": "next"})
    with scopes_disabled():
        assert Session.objects.filter(cohort__slug="next", title="Coaching A").exists()


def test_bad_input_is_shown_next_to_its_field(client, world):
    client.force_login(world.users["staff"])
    url = reverse("cohorts:copy", kwargs={"cohort_slug": world.cohort.slug})
    response = client.post(url, {"name": "Again", "slug": world.cohort.slug, "start_date": "1999-01-01",
                                 "cities": ["not-a-city"]})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"slug", "start_date", "cities"}
    # A city address already taken refuses the whole copy, with the reason next to the short name.
    with scopes_disabled():
        City.objects.create(cohort=world.cohort, name="Taken", slug=f"{world.city.slug}-later", country="US",
                            time_zone="America/Chicago")
    response = client.post(url, {"name": "Later", "slug": "later", "start_date": "2027-10-01",
                                 "cities": [world.city.pk], "confirm": "1"})
    assert response.status_code == 200 and "already taken" in str(response.context["form"].errors["slug"])
    assert not Cohort.objects.filter(slug="later").exists()
