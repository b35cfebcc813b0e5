"""Outgoing messages: one row per recipient, written with the change that causes it."""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


def message_id_for(key):
    """The Message-ID of the message with this key: the same on every attempt, so a message
    resent after a crash is recognisable as the same message."""
    domain = urlsplit(settings.SITE_URL).hostname or "accelerator"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


class OutgoingMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        HELD = "held", _("Waiting for the daily digest")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DIGESTED = "digested", _("Sent in a digest")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Not sent")

    OPEN = (Status.QUEUED, Status.HELD, Status.SENDING)

    # Few indexes on purpose: a sweep writes tens of thousands of rows at once, and each index
    # costs every one of them. The key's uniqueness is a constraint (no text-pattern copy); the
    # sweeps find their rows by topic, the sender by (status, send_after), staff by address;
    # city, cohort and recipient are read from rows found that way, never searched by.
    key = models.CharField(max_length=255)
    kind = models.CharField(_("kind"), max_length=64)
    # What the message is about ("agenda.session:12"), so a sweep can ask what it already queued.
    topic = models.CharField(max_length=64, blank=True)
    city = models.ForeignKey(
        "cohorts.City", null=True, blank=True, on_delete=models.PROTECT, related_name="outgoing_messages",
        db_index=False,
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort", null=True, blank=True, on_delete=models.PROTECT, related_name="outgoing_messages",
        db_index=False,
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False,
    )
    to_email = models.EmailField(_("to"))
    to_name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    context = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    send_after = models.DateTimeField(default=timezone.now)
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    digest = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="parts",
                               db_index=False)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["key"], name="outbox_one_message_per_key")]
        indexes = [
            models.Index(fields=["status", "send_after"], name="outbox_due"),
            models.Index(fields=["topic"], name="outbox_topic"),
            # The staff outbox page finds an address by its beginning (LIKE 'ana@%'); the pattern
            # operator class lets PostgreSQL answer that from the index whatever the collation.
            models.Index(fields=["to_email"], name="outbox_to_email", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return f"{self.kind} → {self.to_email} ({self.status})"

    @property
    def message_id(self):
        return message_id_for(self.key)

    @property
    def can_resend(self):
        return self.status in (self.Status.FAILED, self.Status.CANCELLED)
