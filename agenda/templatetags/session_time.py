"""Session times as people read them: in the viewer's zone, or the venue's for in-person
sessions, always with the zone named."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format

from accelerator.i18n import zone_or_utc

register = template.Library()


def zone_name(zone):
    return getattr(zone, "key", None) or str(zone)


def _span(start, end, zone):
    start, end = timezone.localtime(start, zone), timezone.localtime(end, zone)
    if start.date() == end.date():
        text = f"{date_format(start, 'D j M Y, H:i')}–{date_format(end, 'H:i')}"
    else:
        text = f"{date_format(start, 'D j M Y, H:i')} – {date_format(end, 'D j M Y, H:i')}"
    return f"{text} ({zone_name(zone)})"


@register.simple_tag
def session_when(session, viewer_zone=None):
    """'Wed 26 Jun 2024, 18:00 – Fri 28 Jun 2024, 15:00 (America/New_York)'."""
    zone = session.display_zone(viewer_zone or timezone.get_current_timezone())
    return _span(session.starts_at, session.ends_at, zone)


@register.simple_tag
def day_when(day, session, viewer_zone=None):
    zone = session.display_zone(viewer_zone or timezone.get_current_timezone())
    return _span(day.starts_at, day.ends_at, zone)


@register.simple_tag
def session_start_time(session, viewer_zone=None):
    zone = session.display_zone(viewer_zone or timezone.get_current_timezone())
    return date_format(timezone.localtime(session.starts_at, zone), "H:i")


@register.simple_tag
def session_when_in(session, zone_name):
    """The session's time in a named zone, whatever kind it is (emails add the reader's own)."""
    return _span(session.starts_at, session.ends_at, zone_or_utc(zone_name))
