"""The messages of the program calendar (see the README's table of messages)."""

from django.utils.translation import gettext_lazy as _

from accelerator.outbox.registry import register_loader, register_message

from .services.feedback import feedback_still_wanted, feedback_values
from .services.reminders import load_sessions, session_calendar, session_still_wanted, session_values

register_loader("agenda.session", load_sessions)

_session = {"personal": False, "prepare": session_values, "still_wanted": session_still_wanted,
            "attachments": session_calendar,
            "subject_params": lambda values: {"title": values["session"].title}}

register_message(
    "agenda.session_invited", template="emails/session_invited", subject=_("Invitation: %(title)s"),
    audience=_("Each invitee, when they are invited to a session ahead"),
    why=_("You are invited to this session of the Accelerator."), **_session,
)
register_message(
    "agenda.session_reminder", template="emails/session_reminder", subject=_("Reminder: %(title)s"),
    audience=_("Each invitee who has not declined, 7 days, 1 day and 1 hour before"),
    why=_("You are invited to this session and have not declined."), **_session,
)
register_message(
    "agenda.session_changed", template="emails/session_changed", subject=_("New time: %(title)s"),
    audience=_("Every invitee, when staff move the session"),
    why=_("You are invited to this session, and its time changed."), **_session,
)
register_message(
    "agenda.session_cancelled", template="emails/session_cancelled", subject=_("Cancelled: %(title)s"),
    audience=_("Every invitee, when staff cancel the session"),
    why=_("You were invited to this session, and it is cancelled."), **_session,
)
register_message(
    "agenda.session_nudge", template="emails/session_nudge", subject=_("Please answer: %(title)s"),
    audience=_("Invitees who have not answered, when staff ask them"),
    why=_("Program staff asked everyone who has not answered yet."), **_session,
)
register_message(
    "agenda.apology", template="emails/session_apology",
    subject=_("%(person)s sent an apology for %(title)s"),
    audience=_("The city's coaches, when a city member apologises"),
    why=_("You coach this city."),
    subject_params=lambda values: {"person": values["invitation"].person, "title": values["invitation"].session.title},
)
register_message(
    "agenda.absence_warning", template="emails/absence_warning",
    subject=_("%(person)s (%(city)s) missed %(count)s sessions in a row"),
    audience=_("The city's coaches and program staff, after repeated absences"),
    why=_("You coach this city or run the program."),
    subject_params=lambda values: {"person": values["person"], "city": values["city"], "count": len(values["missed"])},
)
register_message(
    "agenda.feedback_request", template="emails/session_feedback_request",
    subject=_("How was “%(title)s”?"),
    audience=_("Each invitee who attended a session (not a coaching check-in), the day after it"),
    why=_("You attended this session; your answer helps the program improve the next ones."),
    personal=False, prepare=feedback_values, still_wanted=feedback_still_wanted,
    subject_params=lambda values: {"title": values["session"].title},
)
