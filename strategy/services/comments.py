"""Comment threads on parts of the plan: coaches (and program staff) start them, the team and
the coach answer, either side resolves."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accelerator.errors import RuleViolation
from accelerator.i18n import interface_language

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
        Comment.objects.create(city=city, thread=thread, author=actor, body=body)
        if notify:
            transaction.on_commit(lambda: _notify_team(city=city, actor=actor, thread=thread, body=body))
    return thread


def _notify_team(*, city, actor, thread, body):
    from cohorts.models import Membership

    url = settings.SITE_URL + reverse("strategy:comments", kwargs={"city_slug": city.slug}) + f"#thread-{thread.code}"
    for membership in Membership.objects.filter(city=city).select_related("user"):
        person = membership.user
        # One email per person, in that person's language (never the commenter's).
        with translation.override(interface_language(person.language)):
            message = render_to_string("emails/strategy_comment.txt", {
                "city": city, "actor": actor, "part": thread.part_label, "body": body, "url": url})
            subject = _("[Accelerator] %(person)s commented on %(part)s") % {"person": actor, "part": thread.part_label}
        send_mail(subject, message, None, [person.email])


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
