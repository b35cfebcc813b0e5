"""Keeping a plan's stored completeness and content version in step with its content."""

from django.db.models import F

from ..models import Strategy
from ..progress import overall_percent, plan_progress
from ..selectors import plan_tree


def strategy_content_changed(strategy):
    """Bump the version that keys the plan's cached tree and documents; every change to what the
    plan shows calls this (through `strategy_refresh_completeness` for its units)."""
    Strategy.objects.filter(pk=strategy.pk).update(content_version=F("content_version") + 1)
    strategy.content_version += 1


def strategy_refresh_completeness(strategy):
    """After a change to the plan's units: the stored percent and the content version, in one UPDATE."""
    percent = overall_percent(plan_progress(plan_tree(strategy)))
    Strategy.objects.filter(pk=strategy.pk).update(completeness=percent, content_version=F("content_version") + 1)
    strategy.completeness = percent
    strategy.content_version += 1
    return percent
