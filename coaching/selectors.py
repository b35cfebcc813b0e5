"""Reads for coaching pages, each with the joins it needs so query counts stay flat."""

import datetime

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from agenda.models import Session
from cohorts.models import Membership

from .models import ActionItem, CheckIn, CheckInAttendee, MayorDecision, Showcase, ShowcaseFeedback
from .models.settings import cadence_days


def _items(qs):
    return qs.select_related("owner__user")


def attendees_with_people():
    # Through the history manager: someone who has since left the team still attended.
    return Prefetch("attendees", queryset=Membership.history.select_related("user").order_by("user__full_name"))


def checkin_log(city, *, with_private_notes):
    """The city's check-ins, newest first, each with attendees, new items and carried items.
    Without the right to see private notes, the column is not even read from the database."""
    checkins = (
        city.checkins.select_related("coach")
        .prefetch_related(
            attendees_with_people(),
            Prefetch("action_items", queryset=_items(ActionItem.objects.all())),
            Prefetch("carried_items", queryset=_items(ActionItem.objects.all())),
        )
        .order_by("-held_on", "-created_at")
    )
    if not with_private_notes:
        checkins = checkins.defer("private_notes")
    return checkins


def city_checkins(city, *, with_private_notes):
    """The city's check-ins, newest first, without what each lists (`attendee_names`, `log_items`
    read that for the ones shown). Without the right to see private notes, the column is not even
    read."""
    checkins = city.checkins.select_related("coach").order_by("-held_on", "-created_at", "-pk")
    if not with_private_notes:
        checkins = checkins.defer("private_notes")
    return checkins


def attendee_names(checkins):
    """Sets `attendee_names` on each check-in, in one query of plain names (no model rows)."""
    by_pk = {checkin.pk: checkin for checkin in checkins}
    for checkin in checkins:
        checkin.attendee_names = []
    names = (
        CheckInAttendee.objects.filter(checkin_id__in=by_pk)
        .order_by("membership__user__full_name").values_list("checkin_id", "membership__user__full_name")
    )
    for checkin_id, name in names:
        by_pk[checkin_id].attendee_names.append(name)
    return checkins


def log_items(city, checkins, *, with_open_items=True):
    """The action items check-ins list, in one query however many: on each check-in `new_items`
    (made there) and `carried` (open items it went over); returned, every item still open (for the
    log's top; none unless asked).

    The query reads the items of these check-ins, those carried into them and those still open,
    each once per check-in it was carried into (`carried_to`), folded back here."""
    by_pk = {checkin.pk: checkin for checkin in checkins}
    for checkin in checkins:
        checkin.new_items, checkin.carried = [], []
    wanted = Q(checkin_id__in=by_pk) | Q(carried_into__in=by_pk)
    if with_open_items:
        wanted |= Q(status__in=ActionItem.OPEN_STATUSES)
    rows = (
        city.action_items.filter(wanted).select_related("owner__user")
        .only("code", "city", "checkin", "what", "owner__user__full_name", "due_on", "status")
        .annotate(carried_to=F("carried_into"))
        .order_by("due_on", "created_at", "pk")
    )
    items, open_items = {}, []
    for row in rows:
        item = items.get(row.pk)
        if item is None:
            item = items[row.pk] = row
            if item.checkin_id in by_pk:
                by_pk[item.checkin_id].new_items.append(item)
            if with_open_items and item.is_open:
                open_items.append(item)
        if row.carried_to in by_pk:
            by_pk[row.carried_to].carried.append(item)
    return open_items


def open_action_items(city):
    return _items(city.action_items.filter(status__in=ActionItem.OPEN_STATUSES)).order_by("due_on", "created_at")


def city_decisions(city):
    return city.mayor_decisions.select_related("raised_by", "decided_by", "session").order_by(
        "status", "due_on", "-created_at"
    )


def decisions_waiting(city):
    return city.mayor_decisions.filter(status=MayorDecision.Status.PENDING).select_related(
        "raised_by"
    ).order_by("due_on")


def city_showcases(city):
    return (
        city.showcases.only("code", "city", "title", "kind", "status", "created_at")
        .annotate(file_count=Count("files"))
        .order_by("-created_at")
    )


def showcase_detail(showcase_qs, code):
    return showcase_qs.select_related("created_by").prefetch_related(
        "files", Prefetch("feedback", queryset=ShowcaseFeedback.objects.select_related("coach"))
    ).filter(code=code)


def cohort_showcases(cohort):
    """Every showcase of the cohort by city, with where its latest feedback leaves it
    (`sustained_label`, `follow_up_on`) read in the same query: see `with_feedback_labels`."""
    latest = ShowcaseFeedback.objects.filter(showcase=OuterRef("pk")).order_by("-created_at")
    return (
        Showcase.objects.filter(city__cohort=cohort)
        .select_related("city").only("code", "city__name", "city__slug", "title", "kind", "status", "created_at")
        .annotate(sustained=Subquery(latest.values("sustained")[:1]),
                  follow_up_on=Subquery(latest.values("follow_up_on")[:1]))
        .order_by("city__name", "-created_at", "pk")
    )


def with_feedback_labels(showcases):
    labels = {value: str(label) for value, label in ShowcaseFeedback.Sustained.choices}
    for showcase in showcases:
        showcase.sustained_label = labels.get(showcase.sustained, "")
    return showcases


def count_per_city(queryset):
    """A correlated COUNT per city, so several counts do not multiply each other's rows."""
    counted = queryset.filter(city=OuterRef("pk")).order_by().values("city").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def dashboard_columns(cohort, city_ids, *, today=None, now=None):
    """The coaching columns of the cohort dashboard, {city_id: {...}}, in a fixed number of
    grouped queries however many cities there are: last check-in and the cadence's overdue flag,
    the next coaching session, open and overdue action items and mayor decisions, and showcases
    by status with the oldest one still waiting for feedback."""
    from django.db.models import Max, Min, Q

    today = today or timezone.localdate()
    now = now or timezone.now()
    city_ids = list(city_ids)
    columns = {
        pk: {"last_checkin": None, "next_session_at": None, "open_items": 0, "overdue_items": 0,
             "open_decisions": 0, "overdue_decisions": 0, "showcases": {}, "waiting_since": None}
        for pk in city_ids
    }
    for row in CheckIn.objects.filter(city_id__in=city_ids).values("city_id").annotate(last=Max("held_on")).order_by():
        columns[row["city_id"]]["last_checkin"] = row["last"]
    upcoming = (
        Session.objects.filter(city_id__in=city_ids, kind=Session.Kind.COACHING, starts_at__gt=now)
        .exclude(status=Session.Status.CANCELLED).values("city_id").annotate(first=Min("starts_at")).order_by()
    )
    for row in upcoming:
        columns[row["city_id"]]["next_session_at"] = row["first"]
    items = (
        ActionItem.objects.filter(city_id__in=city_ids, status__in=ActionItem.OPEN_STATUSES).values("city_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today))).order_by()
    )
    for row in items:
        columns[row["city_id"]].update(open_items=row["n"], overdue_items=row["late"])
    decisions = (
        MayorDecision.objects.filter(city_id__in=city_ids, status=MayorDecision.Status.PENDING).values("city_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today))).order_by()
    )
    for row in decisions:
        columns[row["city_id"]].update(open_decisions=row["n"], overdue_decisions=row["late"])
    showcases = (
        Showcase.objects.filter(city_id__in=city_ids).values("city_id", "status")
        .annotate(n=Count("pk"), oldest=Min("submitted_at")).order_by()
    )
    for row in showcases:
        column = columns[row["city_id"]]
        column["showcases"][row["status"]] = row["n"]
        if row["status"] == Showcase.Status.SUBMITTED:
            column["waiting_since"] = row["oldest"]
    every = cadence_days(cohort)
    running = cohort.status == cohort.Status.RUNNING
    for column in columns.values():
        reference = column["last_checkin"] or cohort.start_date
        column["cadence_days"] = every
        column["checkin_due_on"] = reference + datetime.timedelta(days=every)
        column["checkin_overdue"] = running and column["checkin_due_on"] < today
    return columns
