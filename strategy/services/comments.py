"""Comment threads on parts of the plan: coaches (and program staff) start them, the team and
the coach answer, either side resolves."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.services.errors import RuleViolation

from ..guide import PLAN_PART_LABELS
from ..models import Comment, CommentThread


def _body(body):
    body = (body or "").strip()
    if not body:
        raise RuleViolation(_("Write the comment first."), field="body")
    return body


def thread_start(*, city, actor, strategy, part, body):
    if part not in PLAN_PART_LABELS:
        raise RuleViolation(_("Choose the part of the plan the comment is about."), field="part")
    body = _body(body)
    with transaction.atomic():
        thread = CommentThread.objects.create(city=city, strategy=strategy, part=part, started_by=actor)
        Comment.objects.create(city=city, thread=thread, author=actor, body=body)
    return thread


def thread_reply(*, city, actor, thread, body):
    body = _body(body)
    with transaction.atomic():
        comment = Comment.objects.create(city=city, thread=thread, author=actor, body=body)
        if thread.resolved_at is not None:  # an answer reopens the conversation
            CommentThread.objects.filter(pk=thread.pk).update(resolved_at=None, resolved_by=None)
    return comment


def thread_resolve(*, city, actor, thread, resolved=True):
    CommentThread.objects.filter(city=city, pk=thread.pk).update(
        resolved_at=timezone.now() if resolved else None, resolved_by=actor if resolved else None
    )
