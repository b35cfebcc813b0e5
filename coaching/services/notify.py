"""Who hears about a coaching step, and the link each message carries. The messages themselves
go through the outbox (`accelerator.outbox.services.mail_send`), queued in the same transaction
as the step; their templates receive only what is passed here, never a coach's private notes."""

from django.conf import settings

from cohorts.models import Role
from cohorts.models.visibility import current_coach_assignments, current_memberships


def link(obj):
    return settings.SITE_URL + obj.get_absolute_url()


def city_mayor(city):
    membership = current_memberships().filter(city=city, role=Role.MAYOR).select_related("user").first()
    return membership.user if membership else None


def city_members(city):
    """The mayor and the senior team."""
    return [m.user for m in current_memberships().filter(city=city).select_related("user")]


def city_coaches(city):
    return [a.coach for a in current_coach_assignments().filter(city=city).select_related("coach")]
