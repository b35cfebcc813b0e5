from .absences import AbsenceWarning
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
    "SessionInvitation",
    "SessionQuerySet",
]
