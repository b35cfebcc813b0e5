from .cities import City, CityQuerySet, Cohort
from .invitations import RoleInvitation
from .teams import CoachAssignment, Membership, Role

__all__ = ["City", "CityQuerySet", "CoachAssignment", "Cohort", "Membership", "Role", "RoleInvitation"]
