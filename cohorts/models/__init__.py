from .cities import City, CityQuerySet, Cohort, CoachAssignment
from .invitations import RoleInvitation
from .teams import Membership, Role

__all__ = ["City", "CityQuerySet", "CoachAssignment", "Cohort", "Membership", "Role", "RoleInvitation"]
