"""Coaching emails. Each links to the page it is about (settings.SITE_URL + path) and is sent
after the transaction commits, so nobody is told about something that was rolled back.

Templates receive only what is listed here; private coach notes are never passed to them."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from accelerator.i18n import interface_language
from cohorts.models import Role


def _deliver(recipients, subject, template, context):
    for person in recipients:
        with translation.override(interface_language(person.language)):
            body = render_to_string(template, {**context, "person": person, "site_url": settings.SITE_URL})
            send_mail(subject, body, None, [person.email])


def send_now(*, recipients, subject, template, context):
    recipients = _unique(recipients)
    if recipients:
        _deliver(recipients, subject, template, context)


def send_after_commit(*, recipients, subject, template, context):
    recipients = _unique(recipients)
    if recipients:
        transaction.on_commit(lambda: _deliver(recipients, subject, template, context))


def _unique(people):
    seen, result = set(), []
    for person in people:
        if person is not None and person.is_active and person.pk not in seen:
            seen.add(person.pk)
            result.append(person)
    return result


def link(obj):
    return settings.SITE_URL + obj.get_absolute_url()


def city_mayor(city):
    from cohorts.models import Membership

    membership = Membership.objects.filter(city=city, role=Role.MAYOR).select_related("user").first()
    return membership.user if membership else None


def city_team(city):
    """The senior team (everyone in the city but the mayor)."""
    from cohorts.models import Membership

    return [m.user for m in Membership.objects.filter(city=city).exclude(role=Role.MAYOR).select_related("user")]


def city_coaches(city):
    from cohorts.models import CoachAssignment

    return [a.coach for a in CoachAssignment.objects.filter(city=city).select_related("coach")]
