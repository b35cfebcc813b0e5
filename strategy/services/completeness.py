"""Keeping a plan's stored completeness in step with its content."""

from ..progress import overall_percent, plan_progress
from ..selectors import plan_tree


def strategy_refresh_completeness(strategy):
    percent = overall_percent(plan_progress(plan_tree(strategy)))
    if percent != strategy.completeness:
        strategy.completeness = percent
        strategy.save(update_fields=["completeness"])
    return percent
