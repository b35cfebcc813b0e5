"""The mayor's consent to show the approved plan to anyone: given, and withdrawn, with a record.
What the public sees is always the latest approved edition, never a draft of the next one."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation

from ..models import Strategy


def strategy_set_public(*, city, actor, public):
    """Make the approved plan public (`public=True`) or withdraw it. Only the mayor decides, and
    only a plan with an approved edition can be made public. Doing what is already done is a no-op."""
    if not actor.has_perm("strategy.publish_public", city):
        raise RuleViolation(_("Only the city's mayor may decide whether the strategy is public."))
    with transaction.atomic():
        strategy = Strategy.objects.select_for_update().get(city=city)
        if public == (strategy.public_since is not None):
            return strategy
        if public:
            edition = strategy.editions.filter(city=city).first()
            if edition is None:
                raise RuleViolation(_("Only an approved edition can be made public: the mayor approves the plan "
                                      "first."), field="public")
            strategy.public_since, strategy.public_set_by = timezone.now(), actor
            audit_record(city=city, actor=actor, action="strategy.made_public", data={"edition": edition.edition})
        else:
            strategy.public_since, strategy.public_set_by = None, actor
            audit_record(city=city, actor=actor, action="strategy.public_withdrawn", data={})
        strategy.save(update_fields=["public_since", "public_set_by"])
    return strategy
