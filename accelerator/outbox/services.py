"""Queue messages (`mail_send`, `outbox_queue`) and send them (`outbox_deliver`).

See the package docstring for what the outbox guarantees."""

import datetime
import json
import logging
import smtplib
import uuid
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Q
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accelerator.i18n import interface_language, language_code, zone_or_utc

from .context import MissingRow, dump, load, load_rows
from .models import OutgoingMessage
from .registry import message_kind

logger = logging.getLogger(__name__)

Status = OutgoingMessage.Status
TASK_NAME = "outbox.deliver"
REDACTED = "(removed once the message was sent)"


@dataclass(frozen=True)
class Address:
    """A recipient who has no account yet (an invitation to a new address)."""

    email: str
    name: str = ""
    language: str = ""
    time_zone: str = "UTC"
    user_id: int | None = None  # set when the address is a person's, read in bulk


def _recipients(to):
    if to is None:
        return []
    people = to if isinstance(to, (list, tuple, set, frozenset)) else [to]
    seen, result = set(), []
    for person in people:
        if person is None or not getattr(person, "email", ""):
            continue
        if not isinstance(person, Address) and not person.is_active:
            continue
        email = person.email.strip().lower()
        if email in seen:
            continue
        seen.add(email)
        result.append(person)
    return result


def outgoing(kind, *, to, context, key, city=None, cohort=None, city_id=None, cohort_id=None, topic="",
             send_after=None, now=None):
    """The unsaved rows of one message to each recipient in `to` (people or Addresses). The key
    names the cause; each row's key adds its recipient, so one cause reaches each person once."""
    spec = message_kind(kind)
    stored = dump(context)
    now = now or timezone.now()
    if city is not None:
        city_id = city.pk
        cohort_id = cohort_id or city.cohort_id
    if cohort is not None:
        cohort_id = cohort.pk
    rows = []
    for person in _recipients(to):
        if isinstance(person, Address):
            recipient_id, name = person.user_id, person.name
            language, zone, held = person.language, person.time_zone, False
            who = f"u{person.user_id}" if person.user_id else person.email.strip().lower()
        else:
            recipient_id, name = person.pk, str(person)
            language, zone = person.language, person.time_zone
            held = spec.digestible and person.email_digest
            who = f"u{person.pk}"
        rows.append(OutgoingMessage(
            key=f"{key}/{who}"[:255], kind=kind, topic=topic, city_id=city_id, cohort_id=cohort_id,
            recipient_id=recipient_id, to_email=person.email.strip().lower(), to_name=name[:200],
            language=language_code(language) or settings.LANGUAGE_CODE, time_zone=zone or "UTC",
            context=stored, status=Status.HELD if held else Status.QUEUED, created_at=now,
            send_after=send_after or now,
        ))
    return rows


def outbox_queue(rows, *, batch_size=5000):
    """Insert rows, skipping any whose key is already queued (INSERT … ON CONFLICT DO NOTHING),
    and queue the sender once the transaction commits. One query per `batch_size` rows."""
    rows = list(rows)
    if not rows:
        return 0
    if db_connection.vendor == "postgresql":
        for start in range(0, len(rows), batch_size):
            _insert_columns(rows[start:start + batch_size])
    else:
        OutgoingMessage.objects.bulk_create(rows, batch_size=batch_size, ignore_conflicts=True)
    _deliver_after_commit()
    return len(rows)


# (column, PostgreSQL type) of what a queued row sets; the rest take their empty values.
_COLUMNS = [
    ("key", "varchar"), ("kind", "varchar"), ("topic", "varchar"), ("city_id", "bigint"), ("cohort_id", "bigint"),
    ("recipient_id", "bigint"), ("to_email", "varchar"), ("to_name", "varchar"), ("language", "varchar"),
    ("time_zone", "varchar"), ("context", "jsonb"), ("status", "varchar"), ("created_at", "timestamptz"),
    ("send_after", "timestamptz"),
]


def _insert_columns(rows):
    """The same INSERT … ON CONFLICT DO NOTHING as bulk_create, with one array per column
    instead of one parameter per value: a batch of thousands is one small statement to plan,
    and most of its cost is the rows themselves."""
    contexts = {}  # the rows of one message share one context: serialise it once
    values = [
        [contexts.setdefault(id(r.context), json.dumps(r.context)) for r in rows] if kind == "jsonb"
        else [getattr(r, column) for r in rows]
        for column, kind in _COLUMNS
    ]
    names = ", ".join(column for column, _kind in _COLUMNS)
    arrays = ", ".join(f"%s::{'text' if kind == 'jsonb' else kind}[]" for _column, kind in _COLUMNS)
    selected = ", ".join(f"{column}::jsonb" if kind == "jsonb" else column for column, kind in _COLUMNS)
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {OutgoingMessage._meta.db_table} ({names}, attempts, claim, subject, reason) "
            f"SELECT {selected}, 0, '', '', '' FROM unnest({arrays}) AS row ({names}) ON CONFLICT DO NOTHING",
            values,
        )


def mail_send(kind, *, to, context, key, city=None, cohort=None, topic="", send_after=None):
    """Queue message `kind` for every recipient in `to`, as part of the caller's transaction."""
    return outbox_queue(outgoing(kind, to=to, context=context, key=key, city=city, cohort=cohort, topic=topic,
                                 send_after=send_after))


class _Kick:
    """Queue the sender once the transaction commits."""

    ran = False

    def __call__(self):
        self.ran = True
        current_app.tasks[TASK_NAME].delay()


def _deliver_after_commit():
    # Once per transaction, however many messages it queues.
    for _sids, callback, *_rest in getattr(db_connection, "run_on_commit", None) or []:
        if isinstance(callback, _Kick) and not callback.ran:
            return
    transaction.on_commit(_Kick())


# ---------------------------------------------------------------------------------------------
# Sending


class Transient(Exception):
    """A failure worth trying again later; `whole_batch` when the server itself is unreachable."""

    def __init__(self, reason, *, whole_batch=False):
        super().__init__(reason)
        self.reason, self.whole_batch = reason, whole_batch


class Permanent(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _smtp_reason(code, text):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def classify(exc):
    """Turn a sending error into Transient or Permanent. Only named errors are transient."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = list(exc.recipients.values())
        reason = "; ".join(_smtp_reason(code, text) for code, text in replies)
        if replies and all(400 <= code < 500 for code, _text in replies):
            return Transient(reason)
        return Permanent(reason)
    if isinstance(exc, smtplib.SMTPResponseException):  # sender refused, data refused, auth…
        reason = _smtp_reason(exc.smtp_code, exc.smtp_error)
        return Transient(reason) if 400 <= exc.smtp_code < 500 else Permanent(reason)
    if isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, TimeoutError,
                        OSError)):
        return Transient(f"{type(exc).__name__}: {exc}", whole_batch=True)
    return Permanent(f"{type(exc).__name__}: {exc}")


def retry_delay(attempts):
    base = settings.OUTBOX_RETRY_SECONDS
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), settings.OUTBOX_RETRY_MAX_SECONDS))


_html_templates = {}


def _html_template(name):
    if name not in _html_templates:
        try:
            _html_templates[name] = get_template(f"{name}.html")
        except TemplateDoesNotExist:
            _html_templates[name] = None
    return _html_templates[name]


def template_values(message, spec, context, *, recipient=None):
    """What the kind's templates receive for `message`. `recipient` stands in for the row's own
    (the digest renders its entries for the person it goes to)."""
    values = {**context, "site_url": settings.SITE_URL, "why": spec.why,
              "preferences_url": settings.SITE_URL + "/me/"}
    if spec.personal:
        person = recipient if recipient is not None else message.recipient
        values.update(recipient=person, recipient_name=message.to_name)
        values.setdefault("person", person)  # the templates greet "person"
    if spec.prepare:
        values.update(spec.prepare(values, message))
    return values


def render(message, spec, context):
    """(subject, text, html) of `message` in its recipient's language and time zone."""
    language = interface_language(message.language)
    with translation.override(language), timezone.override(zone_or_utc(message.time_zone)):
        values = template_values(message, spec, context)
        subject = settings.EMAIL_SUBJECT_PREFIX + spec.subject_text(values)
        text = render_to_string(f"{spec.template}.txt", values)
        html_template = _html_template(spec.template)
        layout = {**values, "subject": subject, "text": text, "language": language}
        html = (html_template.render(layout) if html_template
                else render_to_string("emails/layout.html", layout))
    return " ".join(subject.split())[:300], text, html


def _email(message, subject, text, html, attachments):
    email = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL,
        [message.to_email],
        headers={"Message-ID": message.message_id, "X-Accelerator-Kind": message.kind},
    )
    email.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        email.attach(filename, content, mimetype)
    return email


def _claim(*, batch_size, now):
    token = uuid.uuid4().hex
    stale = now - datetime.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)
    due = Q(status=Status.QUEUED, send_after__lte=now) | Q(status=Status.SENDING, claimed_at__lt=stale)
    with transaction.atomic():
        ids = list(
            OutgoingMessage.objects.filter(due).order_by("send_after", "pk")
            .select_for_update(skip_locked=True).values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return token, []
        # Conditional, so that on a database without row locks a row another sender took in
        # the meantime is not taken again.
        OutgoingMessage.objects.filter(due, pk__in=ids).update(status=Status.SENDING, claim=token, claimed_at=now)
    return token, list(OutgoingMessage.objects.filter(claim=token, status=Status.SENDING)
                       .select_related("recipient").order_by("send_after", "pk"))


def _finish(message, token, **fields):
    fields.setdefault("claim", "")
    return OutgoingMessage.objects.filter(pk=message.pk, claim=token).update(**fields)


def _deliver_batch(*, batch_size, now, clock):
    token, batch = _claim(batch_size=batch_size, now=now)
    counts = {"sent": 0, "failed": 0, "cancelled": 0, "retry": 0}
    if not batch:
        return counts, 0
    try:
        rows = load_rows(m.context for m in batch)
    except Exception:  # a broken context must not hold up the rest: load message by message
        logger.exception("outbox: loading a batch's rows failed; loading message by message")
        rows = None
    cache, rendered = {}, {}
    connection = get_connection()
    opened = False
    try:
        for index, message in enumerate(batch):
            try:
                spec = message_kind(message.kind)
                context = load(message.context, rows if rows is not None else load_rows([message.context]))
                reason = spec.still_wanted(context, clock()) if spec.still_wanted else None
                if reason:
                    _finish(message, token, status=Status.CANCELLED, reason=str(reason))
                    counts["cancelled"] += 1
                    continue
                cache_key = None
                if not spec.personal:
                    cache_key = (message.kind, json.dumps(message.context, sort_keys=True), message.language,
                                 message.time_zone)
                if cache_key is not None and cache_key in rendered:
                    subject, text, html = rendered[cache_key]
                else:
                    subject, text, html = render(message, spec, context)
                    if cache_key is not None:
                        rendered[cache_key] = (subject, text, html)
                with translation.override(interface_language(message.language)):
                    attachments = spec.attachments(context, cache) if spec.attachments else []
                email = _email(message, subject, text, html, attachments)
            except MissingRow as exc:
                _finish(message, token, status=Status.CANCELLED, reason=str(exc))
                counts["cancelled"] += 1
                continue
            except Exception as exc:  # a template or context error fails this message only
                logger.exception("outbox: message %s (%s) could not be rendered", message.pk, message.kind)
                _finish(message, token, status=Status.FAILED, attempts=message.attempts + 1,
                        reason=_("The message could not be prepared: %(error)s")
                        % {"error": f"{type(exc).__name__}: {exc}"})
                counts["failed"] += 1
                continue
            try:
                if not opened:
                    connection.open()
                    opened = True
                connection.send_messages([email])
            except Exception as exc:
                problem = classify(exc)
                attempts = message.attempts + 1
                if isinstance(problem, Permanent):
                    _finish(message, token, status=Status.FAILED, attempts=attempts, reason=problem.reason,
                            subject=subject)
                    counts["failed"] += 1
                elif attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                    _finish(message, token, status=Status.FAILED, attempts=attempts, subject=subject,
                            reason=_("Gave up after %(count)d attempts: %(reason)s")
                            % {"count": attempts, "reason": problem.reason})
                    counts["failed"] += 1
                else:
                    _finish(message, token, status=Status.QUEUED, attempts=attempts, reason=problem.reason,
                            send_after=clock() + retry_delay(attempts), subject=subject)
                    counts["retry"] += 1
                if isinstance(problem, Transient) and problem.whole_batch:
                    # The server is unreachable: give the rest of the batch back untouched.
                    rest = [m.pk for m in batch[index + 1:]]
                    OutgoingMessage.objects.filter(pk__in=rest, claim=token).update(
                        status=Status.QUEUED, claim="", send_after=clock() + retry_delay(1))
                    counts["retry"] += len(rest)
                    opened = False
                    break
                continue
            sent = {"status": Status.SENT, "sent_at": clock(), "subject": subject, "reason": "",
                    "attempts": message.attempts + 1}
            if spec.secret:  # a credential in the context (an invitation link) is not kept once delivered
                sent["context"] = {**message.context, **{name: REDACTED for name in spec.secret if name in
                                                         message.context}}
            _finish(message, token, **sent)
            counts["sent"] += 1
    finally:
        if opened:
            try:
                connection.close()
            except Exception:  # closing a broken connection must not hide what was sent
                logger.warning("outbox: closing the mail connection failed", exc_info=True)
    return counts, len(batch)


@scopes_disabled()  # the sender serves every city; each row names its recipient exactly
def outbox_deliver(*, batch_size=None, max_batches=None, now=None):
    """Send what is due, batch after batch, until nothing is due (or `max_batches`).
    Returns counts of sent, failed, cancelled and retried messages. `now` pins the clock (tests
    and benchmarks); otherwise each message is judged at the moment it is sent."""
    batch_size = batch_size or settings.OUTBOX_BATCH_SIZE
    clock = (lambda: now) if now is not None else timezone.now
    totals = {"sent": 0, "failed": 0, "cancelled": 0, "retry": 0}
    batches = 0
    while max_batches is None or batches < max_batches:
        counts, claimed = _deliver_batch(batch_size=batch_size, now=clock(), clock=clock)
        for name, value in counts.items():
            totals[name] += value
        batches += 1
        if claimed < batch_size or (counts["retry"] and not counts["sent"]):
            break
    if any(totals.values()):
        logger.info("outbox: %s", ", ".join(f"{v} {k}" for k, v in totals.items() if v))
    return totals


@scopes_disabled()  # a staff action on one row, named exactly
def outbox_resend(*, message, actor):
    """Queue a failed or unsent message again, under the same key (and so the same Message-ID)."""
    from accelerator.audit import audit_record

    with transaction.atomic():
        updated = OutgoingMessage.objects.filter(
            pk=message.pk, status__in=(Status.FAILED, Status.CANCELLED)
        ).update(status=Status.QUEUED, attempts=0, send_after=timezone.now(), reason="", claim="")
        if updated:
            audit_record(city=message.city, cohort=message.cohort, actor=actor, action="outbox.resent",
                         data={"kind": message.kind, "to": message.to_email})
            _deliver_after_commit()
    return bool(updated)


# ---------------------------------------------------------------------------------------------
# Daily digest


DIGEST_KIND = "accelerator.digest"


@scopes_disabled()
def outbox_digests_send(*, now=None):
    """Gather each person's held messages into one digest once it is past DIGEST_HOUR in their
    time zone, at most one digest per person and local day. Returns how many digests were queued."""
    from accelerator.models import User

    now = now or timezone.now()
    held = {}
    for pk, recipient_id in (OutgoingMessage.objects.filter(status=Status.HELD, recipient__isnull=False)
                             .order_by("created_at", "pk").values_list("pk", "recipient_id")):
        held.setdefault(recipient_id, []).append(pk)
    if not held:
        return 0
    queued = 0
    for person in User.objects.filter(pk__in=held):
        local = now.astimezone(zone_or_utc(person.time_zone))
        if local.hour < settings.DIGEST_HOUR:
            continue
        with transaction.atomic():
            parts = list(OutgoingMessage.objects.select_for_update().filter(pk__in=held[person.pk],
                                                                           status=Status.HELD))
            if not parts:
                continue
            rows = outgoing(DIGEST_KIND, to=person, context={"parts": parts}, key=f"digest:{local.date()}",
                            now=now)
            if not rows:
                continue
            digest = rows[0]
            digest.status = Status.QUEUED
            if OutgoingMessage.objects.filter(key=digest.key).exists():
                continue  # today's digest went already; these wait for tomorrow's
            digest.save()
            OutgoingMessage.objects.filter(pk__in=[p.pk for p in parts]).update(status=Status.DIGESTED,
                                                                                digest=digest, sent_at=now)
            _deliver_after_commit()
            queued += 1
    return queued


def digest_parts(values, message):
    """The digest's entries, each rendered in the digest recipient's language (already active)."""
    parts = values["parts"]
    rows = load_rows(p.context for p in parts)
    entries = []
    for part in parts:
        try:
            spec = message_kind(part.kind)
            part_values = template_values(part, spec, load(part.context, rows), recipient=message.recipient)
            entries.append({"subject": spec.subject_text(part_values),
                            "text": render_to_string(f"{spec.template}.txt", part_values)})
        except Exception:  # an entry that cannot be shown must not hold back the others
            logger.exception("outbox: digest entry %s could not be rendered", part.pk)
    return {"entries": entries, "count": len(entries)}
