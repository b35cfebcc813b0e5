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
from .thresholds import AttendanceThresholds, thresholds_for

__all__ = [
    "AbsenceWarning",
    "Attendance",
    "AttendanceThresholds",
    "ConveningDay",
    "LearningGoal",
    "ReminderLog",
    "Response",
    "Session",
    "SessionFeedback",
    "SessionInvitation",
    "SessionQuerySet",
    "thresholds_for",
]
