from .absences import AbsenceWarning
from .feedback import SessionFeedback
from .sessions import (
    Attendance,
    ConveningDay,
    LearningGoal,
    ReminderLog,
    Response,
    Session,
    SessionInvitation,
    SessionQuerySet,
)

__all__ = [
    "AbsenceWarning",
    "Attendance",
    "ConveningDay",
    "LearningGoal",
    "ReminderLog",
    "Response",
    "Session",
    "SessionFeedback",
    "SessionInvitation",
    "SessionQuerySet",
]
