"""Comment threads on parts of the plan: coaches (and program staff) start them, the team and
the coach answer, either side resolves."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.errors import RuleViolation
from accelerator.outbox.services import mail_send
from cohorts.selectors import city_coaches, city_members

from ..guide import PLAN_PART_LABELS
from ..models import Comment, CommentThread


def _body(body):
    body = (body or "").strip()
    if not body:
        raise RuleViolation(_("Write the comment first."), field="body")
    return body


def thread_start(*, city, actor, strategy, part, body, notify=True):
    if part not in PLAN_PART_LABELS:
        raise RuleViolation(_("Choose the part of the plan the comment is about."), field="part")
    body = _body(body)
    with transaction.atomic():
        thread = CommentThread.objects.create(city=city, strategy=strategy, part=part, started_by=actor)
        comment = Comment.objects.create(city=city, thread=thread, author=actor, body=body)
        if notify:
            members = city_members(city)
            _announce("strategy.comment", city=city, actor=actor, thread=thread, comment=comment,
                      to=[p for p in members if p != actor])
    return thread


def _announce(kind, *, city, actor, thread, comment, to):
    """Each person reads it in their own language (never the commenter's), at once or in their
    daily digest."""
    url = settings.SITE_URL + reverse("strategy:comments", kwargs={"city_slug": city.slug}) + f"#thread-{thread.code}"
    mail_send(kind, to=to, city=city, key=f"{kind}:{comment.pk}",
              context={"city": city, "actor": actor, "thread": thread, "body": comment.body, "url": url})


def _reply_recipients(*, city, actor, thread):
    """Everyone who wrote in the thread, and the other side: a team member's answer reaches the
    city's coaches, a coach's answer reaches the team."""
    members = city_members(city)
    other_side = city_coaches(city) if any(p.pk == actor.pk for p in members) else members
    authors = [c.author for c in thread.comments.select_related("author") if c.author is not None]
    return [p for p in [*authors, *other_side] if p.pk != actor.pk]


def thread_reply(*, city, actor, thread, body):
    body = _body(body)
    with transaction.atomic():
        comment = Comment.objects.create(city=city, thread=thread, author=actor, body=body)
        if thread.resolved_at is not None:  # an answer reopens the conversation
            CommentThread.objects.filter(pk=thread.pk).update(resolved_at=None, resolved_by=None)
        _announce("strategy.reply", city=city, actor=actor, thread=thread, comment=comment,
                  to=_reply_recipients(city=city, actor=actor, thread=thread))
    return comment


def thread_resolve(*, city, actor, thread, resolved=True):
    CommentThread.objects.filter(city=city, pk=thread.pk).update(
        resolved_at=timezone.now() if resolved else None, resolved_by=actor if resolved else None
    )
