"""Who hears about a coaching step, and the link each message carries. The messages themselves
go through the outbox (`accelerator.outbox.services.mail_send`), queued in the same transaction
as the step; their templates receive only what is passed here, never a coach's private notes."""

from django.conf import settings

from cohorts.models import Role
from cohorts.models.visibility import current_memberships
from cohorts.selectors import city_coaches, city_members

__all__ = ["city_coaches", "city_mayor", "city_members", "link"]


def link(obj):
    return settings.SITE_URL + obj.get_absolute_url()


def city_mayor(city):
    membership = current_memberships().filter(city=city, role=Role.MAYOR).select_related("user").first()
    return membership.user if membership else None

