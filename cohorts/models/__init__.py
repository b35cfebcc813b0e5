from .cities import City, CityQuerySet, Cohort
from .dashboard_rows import DashboardRow
from .imports import ImportBatch
from .invitations import RoleInvitation
from .teams import CoachAssignment, Membership, Role

__all__ = [
    "City", "CityQuerySet", "CoachAssignment", "Cohort", "DashboardRow", "ImportBatch", "Membership", "Role",
    "RoleInvitation",
]
