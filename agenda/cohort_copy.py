"""The calendar's part of copying a cohort (`cohorts.copying`): every session that was not
cancelled, moved by the days between the two start dates at the same time of day in its own zone
(the venue's for in-person sessions), convening days and their segments with it. A session for
one city (coaching, checkpoints, a city's showcase) is copied for that city when it is enrolled
again, and left out otherwise."""

import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.copying import register_copy_part, shift_in_zone

from .models import ConveningDay, Session

COPIED_FIELDS = ["kind", "title", "description", "learning_goal", "audience", "time_zone", "venue", "video_url",
                 "speakers", "materials", "required"]


def _pattern(request):
    return list(
        Session.objects.filter(cohort=request.source).exclude(status=Session.Status.CANCELLED)
        .select_related("city").prefetch_related("days").order_by("starts_at", "pk")
    )


def _copied(request, session):
    return session.city_id is None or session.city_id in request.city_ids


def _when(moment, zone):
    return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M")


def describe(request):
    days = request.shift.days
    lines = []
    for session in _pattern(request):
        zone = zoneinfo.ZoneInfo(session.time_zone)
        values = {"kind": session.get_kind_display(), "title": session.title,
                  "city": session.city.name if session.city_id else "",
                  "before": _when(session.starts_at, zone),
                  "after": _when(shift_in_zone(session.starts_at, days, zone), zone), "zone": session.time_zone}
        if not _copied(request, session):
            lines.append(_("Left out: %(kind)s “%(title)s” (%(city)s is not enrolled again)") % values)
            continue
        text = (_("%(kind)s “%(title)s” (%(city)s): %(before)s → %(after)s, %(zone)s") if session.city_id
                else _("%(kind)s “%(title)s”: %(before)s → %(after)s, %(zone)s")) % values
        segments = [d.label for d in session.days.all()]
        if segments:
            text += " · " + _("days: %(days)s") % {"days": ", ".join(segments)}
        lines.append(text)
    return lines or [_("None")]


def apply(request, target, city_map, actor):
    days = request.shift.days
    created = 0
    for session in _pattern(request):
        if not _copied(request, session):
            continue
        zone = zoneinfo.ZoneInfo(session.time_zone)
        copy = Session.objects.create(
            cohort=target, city=city_map.get(session.city_id), created_by=actor,
            starts_at=shift_in_zone(session.starts_at, days, zone), ends_at=shift_in_zone(session.ends_at, days, zone),
            **{name: getattr(session, name) for name in COPIED_FIELDS},
        )
        ConveningDay.objects.bulk_create([
            ConveningDay(session=copy, label=day.label, required=day.required,
                         starts_at=shift_in_zone(day.starts_at, days, zone),
                         ends_at=shift_in_zone(day.ends_at, days, zone))
            for day in session.days.all()
        ])
        created += 1
    return created


register_copy_part(key="sessions", heading=gettext_lazy("Sessions on their new dates"), describe=describe, apply=apply)
