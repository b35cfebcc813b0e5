"""Showcases: the team prepares and submits; the coach gives feedback."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from accelerator.outbox.services import mail_send
from cohorts.services.dashboard_rows import dashboard_rows_changed

from ..models import EvidenceFile, Showcase, ShowcaseFeedback
from . import notify
from .files import check_upload

SHOWCASE_FIELDS = ("title", "kind", "what_changed", "for_whom", "evidence_links", "sustain_plan")


def _attach(*, showcase, actor, upload):
    content_type = check_upload(upload)  # views check first; this keeps the rule in one place
    return EvidenceFile.objects.create(
        showcase=showcase, file=upload, original_name=upload.name[:255], content_type=content_type,
        size=upload.size, uploaded_by=actor,
    )


def showcase_create(*, city, actor, upload=None, **fields):
    with transaction.atomic():
        showcase = Showcase.objects.create(city=city, created_by=actor, **{k: fields[k] for k in SHOWCASE_FIELDS})
        if upload is not None:
            _attach(showcase=showcase, actor=actor, upload=upload)
        dashboard_rows_changed(city_ids=[city.pk])
        audit_record(city=city, actor=actor, action="coaching.showcase_created",
                     data={"showcase": showcase.code, "title": showcase.title})
    return showcase


def showcase_update(*, showcase, actor, upload=None, **fields):
    if not showcase.is_editable:
        raise RuleViolation(_("A submitted showcase can no longer be changed."))
    with transaction.atomic():
        for name in SHOWCASE_FIELDS:
            if name in fields:
                setattr(showcase, name, fields[name])
        showcase.save()
        if upload is not None:
            _attach(showcase=showcase, actor=actor, upload=upload)
    return showcase


def evidence_remove(*, evidence, actor):
    if not evidence.showcase.is_editable:
        raise RuleViolation(_("A submitted showcase can no longer be changed."))
    stored = evidence.file
    with transaction.atomic():
        evidence.delete()
        evidence.showcase.save(update_fields=["updated_at"])  # the showcase's page keys on it
        transaction.on_commit(lambda: stored.delete(save=False))


def showcase_submit(*, showcase, actor):
    city = showcase.city
    with transaction.atomic():
        locked = Showcase.objects.select_for_update().get(pk=showcase.pk)
        if locked.status != Showcase.Status.DRAFT:
            return locked
        locked.status = Showcase.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        locked.city = city
        showcase.status, showcase.submitted_at = locked.status, locked.submitted_at
        dashboard_rows_changed(city_ids=[city.pk])
        audit_record(city=city, actor=actor, action="coaching.showcase_submitted",
                     data={"showcase": locked.code, "title": locked.title})
        mail_send(
            "coaching.showcase_submitted", to=notify.city_coaches(city), city=city,
            key=f"showcase-submitted:{locked.pk}:{int(locked.submitted_at.timestamp())}",
            context={"showcase": locked, "city": city, "link": notify.link(locked)},
        )
    return locked


def showcase_give_feedback(*, showcase, actor, what_works, to_strengthen, sustained, follow_up_on=None):
    city = showcase.city
    if showcase.status == Showcase.Status.DRAFT:
        raise RuleViolation(_("The team has not submitted this showcase yet."))
    if follow_up_on is not None and follow_up_on < timezone.localdate():
        raise RuleViolation(_("The follow-up date cannot be in the past."), field="follow_up_on")
    with transaction.atomic():
        feedback = ShowcaseFeedback.objects.create(
            showcase=showcase, coach=actor, what_works=what_works, to_strengthen=to_strengthen,
            sustained=sustained, follow_up_on=follow_up_on,
        )
        showcase.status = Showcase.Status.FEEDBACK
        showcase.save(update_fields=["status", "updated_at"])
        dashboard_rows_changed(city_ids=[city.pk])
        audit_record(city=city, actor=actor, action="coaching.showcase_feedback",
                     data={"showcase": showcase.code, "title": showcase.title})
        mail_send(
            "coaching.feedback", to=[showcase.created_by, *notify.city_members(city)], city=city,
            key=f"showcase-feedback:{feedback.pk}",
            context={"showcase": showcase, "feedback": feedback, "city": city, "link": notify.link(showcase)},
        )
    return feedback
