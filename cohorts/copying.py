"""Copying a cohort, part by part.

A new cohort can start from an existing one: its session pattern moved to the new dates, its
settings, its coaches, and the cities staff choose to enrol again with their teams. Cohorts
copies its own rows (cities, teams, coaches); every app that keeps rows per cohort registers its
part here at start-up (in its AppConfig.ready), so the copy reaches the calendar and the coaching
settings without this app importing the apps that depend on it. Each part both describes what
it will create (the preview staff confirm) and creates it, from the same request, so the preview
and the copy cannot disagree."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass
class CopyRequest:
    """What staff asked for: the source cohort, the new one's name, address and start, and the
    source cities to enrol again."""

    source: object
    name: str
    slug: str
    start_date: datetime.date
    cities: list = field(default_factory=list)

    @property
    def shift(self):
        """Every date moves by the same number of days: old start → new start."""
        return self.start_date - self.source.start_date

    @property
    def end_date(self):
        return self.source.end_date + self.shift

    @property
    def city_ids(self):
        return {city.pk for city in self.cities}


@dataclass
class CopyPart:
    key: str
    heading: object  # a lazily translated heading for the preview
    describe: object  # (request) -> [str]: one line per thing it will create
    apply: object  # (request, target, city_map, actor) -> int: how many rows it created


_PARTS: dict[str, CopyPart] = {}


def register_copy_part(*, key, heading, describe, apply):
    _PARTS[key] = CopyPart(key, heading, describe, apply)


def copy_parts():
    return list(_PARTS.values())


def shift_in_zone(moment, days, zone):
    """`moment` moved by whole days keeping its time of day on the wall clock of `zone` (a
    session at 9:00 in Chicago stays at 9:00 there, across a change of daylight saving time)."""
    local = timezone.localtime(moment, zone).replace(tzinfo=None) + datetime.timedelta(days=days)
    return timezone.make_aware(local, zone)
