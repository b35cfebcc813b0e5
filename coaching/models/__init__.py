from .checkins import ActionItem, CheckIn, CheckInAttendee, LearningGoal, Progress
from .decisions import MayorDecision
from .reminders import CoachingReminder
from .settings import CoachingSettings
from .showcases import EvidenceFile, Showcase, ShowcaseFeedback

__all__ = [
    "ActionItem",
    "CheckIn",
    "CheckInAttendee",
    "CoachingReminder",
    "CoachingSettings",
    "EvidenceFile",
    "LearningGoal",
    "MayorDecision",
    "Progress",
    "Showcase",
    "ShowcaseFeedback",
]
