"""Sessions as RFC 5545 calendars (one session's download, a person's feed, an email attachment).

Times are written in the session's own zone (TZID, with its VTIMEZONE), so a calendar shows the
venue's time and converts it to the reader's; each event carries an alarm an hour before. UIDs
are built from the sessions' public codes so they never change; SEQUENCE follows the session's
sequence so a rescheduled or cancelled session replaces the event already imported."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from accelerator.i18n import zone_or_utc

UTC = datetime.UTC
ALARM_BEFORE = datetime.timedelta(hours=1)


def _domain():
    return urlsplit(settings.SITE_URL).hostname or "accelerator"


def _description(session, url):
    parts = [session.description.strip()] if session.description.strip() else []
    if session.video_url:
        parts.append(_("Video link: %(url)s") % {"url": session.video_url})
    if session.speaker_list:
        parts.append(_("Faculty and speakers: %(names)s") % {"names": ", ".join(session.speaker_list)})
    for link in session.material_links:
        parts.append(_("Material: %(url)s") % {"url": link})
    parts.append(_("Details and your answer: %(url)s") % {"url": url})
    return "\n\n".join(parts)


def session_events(session):
    """One VEVENT per session, or one per day segment of a multi-day session."""
    url = settings.SITE_URL + session.get_absolute_url()
    domain = _domain()
    segments = list(session.days.all()) or [None]
    events = []
    for day in segments:
        event = Event()
        uid = f"session-{session.code}" + (f"-{day.code}" if day else "")
        event.add("uid", f"{uid}@{domain}")
        event.add("dtstamp", session.updated_at.astimezone(UTC))
        event.add("last-modified", session.updated_at.astimezone(UTC))
        zone = zone_or_utc(session.time_zone)
        event.add("dtstart", (day or session).starts_at.astimezone(zone))
        event.add("dtend", (day or session).ends_at.astimezone(zone))
        event.add("summary", f"{session.title} — {day.label}" if day else session.title)
        event.add("description", _description(session, url))
        location = session.venue or session.video_url
        if location:
            event.add("location", location)
        event.add("url", url)
        event.add("sequence", session.sequence)
        event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
        event.add("categories", [str(session.get_kind_display())])
        if not session.is_cancelled:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", event["summary"])
            alarm.add("trigger", -ALARM_BEFORE)
            event.add_component(alarm)
        events.append(event)
    return events


def calendar_bytes(sessions, *, name):
    calendar = Calendar()
    calendar.add("prodid", "-//Accelerator//Program calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for session in sessions:
        for event in session_events(session):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
