"""Coaching's part of copying a cohort (`cohorts.copying`): its check-in cadence."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.copying import register_copy_part

from .models.settings import CoachingSettings, cadence_days


def describe(request):
    return [_("A coaching check-in every %(days)d days") % {"days": cadence_days(request.source)}]


def apply(request, target, city_map, actor):
    source = CoachingSettings.objects.filter(cohort=request.source).first()
    if source is None:  # the default cadence needs no row
        return 0
    CoachingSettings.objects.create(cohort=target, checkin_every_days=source.checkin_every_days)
    return 1


register_copy_part(key="coaching_settings", heading=gettext_lazy("Coaching"), describe=describe, apply=apply)
