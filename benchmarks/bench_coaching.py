"""Coaching pages on the large cohort: every city has six check-ins with two action items each
(carried forward while open), three mayor decisions and two showcases."""

import datetime

from django.utils import timezone

from benchmarks.support import Page
from cohorts.models import Membership, Role

CHECKINS_PER_CITY = 6
ITEMS_PER_CHECKIN = 2


def extend(world):
    from coaching.models import ActionItem, CheckIn, MayorDecision, Showcase, ShowcaseFeedback

    today = timezone.localdate()
    team = {}
    for membership in Membership.objects.filter(city__in=world.cities).exclude(role=Role.MAYOR):
        team.setdefault(membership.city_id, []).append(membership)
    coach_of = {city.pk: world.coaches[i % len(world.coaches)] for i, city in enumerate(world.cities)}
    checkins = CheckIn.objects.bulk_create([
        CheckIn(city=city, coach=coach_of[city.pk],
                held_on=today - datetime.timedelta(days=14 * (CHECKINS_PER_CITY - n)),
                focus_goal="lead", summary=f"Check-in {n} summary " * 10, private_notes="Notes " * 20,
                progress_lead=1 + n % 4)
        for city in world.cities for n in range(CHECKINS_PER_CITY)
    ])
    Attendees = CheckIn.attendees.through
    Attendees.objects.bulk_create([
        Attendees(checkin_id=c.pk, membership_id=m.pk) for c in checkins for m in team[c.city_id][:3]
    ])
    items = ActionItem.objects.bulk_create([
        ActionItem(city_id=c.city_id, checkin=c, what=f"Action {k} of check-in {c.pk}", owner=team[c.city_id][k],
                   due_on=c.held_on + datetime.timedelta(days=14), status="open" if k == 0 else "done")
        for c in checkins for k in range(ITEMS_PER_CHECKIN)
    ])
    Carried = ActionItem.carried_into.through
    by_city = {}
    for c in checkins:
        by_city.setdefault(c.city_id, []).append(c)
    Carried.objects.bulk_create([
        Carried(actionitem_id=item.pk, checkin_id=later.pk)
        for item in items if item.status == "open"
        for later in by_city[item.city_id] if later.held_on > item.checkin.held_on
    ])
    MayorDecision.objects.bulk_create([
        MayorDecision(city=city, raised_by=coach_of[city.pk], question=f"Decision {n}?", context="Context " * 20,
                      options="A\nB", due_on=today + datetime.timedelta(days=n - 1))
        for city in world.cities for n in range(3)
    ])
    showcases = Showcase.objects.bulk_create([
        Showcase(city=city, title=f"Showcase {n}", kind="data_routine", what_changed="x " * 50, for_whom="y",
                 sustain_plan="z", status="feedback" if n == 0 else "submitted")
        for city in world.cities for n in range(2)
    ])
    ShowcaseFeedback.objects.bulk_create([
        ShowcaseFeedback(showcase=s, coach=coach_of[s.city_id], what_works="w", to_strengthen="s", sustained="partly")
        for s in showcases if s.status == "feedback"
    ])
    world.checkin, world.decision, world.showcase = checkins[0], MayorDecision.objects.filter(
        city=world.cities[0]).first(), showcases[0]
    world.summary += f", {len(checkins)} check-ins, {len(items)} action items"


def pages(world):
    coach, staff, member = world.coaches[0], world.staff, world.people[1]
    city = world.cities[0].slug
    items = ITEMS_PER_CHECKIN * CHECKINS_PER_CITY * len(world.cities)
    return [
        Page("coach home (10 cities)", coach, "/"),
        Page("coaching log, coach (6 check-ins)", coach, f"/cities/{city}/coaching/"),
        Page("coaching log, team member", member, f"/cities/{city}/coaching/"),
        Page("one check-in, coach", coach, f"/cities/{city}/coaching/{world.checkin.code}/"),
        Page("decisions page", member, f"/cities/{city}/decisions/"),
        Page("one decision, mayor", world.people[0], f"/cities/{city}/decisions/{world.decision.code}/"),
        Page("showcases page", member, f"/cities/{city}/showcases/"),
        Page("one showcase, coach", coach, f"/cities/{city}/showcases/{world.showcase.code}/"),
        Page("cohort showcases (200)", staff, f"/cohorts/{world.cohort.slug}/showcases/"),
        Page("cohort showcases, last page", staff, f"/cohorts/{world.cohort.slug}/showcases/?page=4"),
        Page(f"action items CSV, {items:,} items", staff, f"/cohorts/{world.cohort.slug}/export/action-items.csv",
             rows=items),
    ]
