from .absences import AbsenceWarning
from .cities import City, CityQuerySet, Cohort, CoachAssignment
from .invitations import RoleInvitation
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
from .teams import Membership, Role

__all__ = [
    "AbsenceWarning",
    "Attendance",
    "City",
    "CityQuerySet",
    "CoachAssignment",
    "Cohort",
    "ConveningDay",
    "LearningGoal",
    "Membership",
    "ReminderLog",
    "Response",
    "Role",
    "RoleInvitation",
    "Session",
    "SessionInvitation",
    "SessionQuerySet",
]
