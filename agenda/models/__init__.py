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
    "SessionInvitation",
    "SessionQuerySet",
    "thresholds_for",
]
