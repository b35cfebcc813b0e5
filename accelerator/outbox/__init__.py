"""The outbox: the one way the project sends email.

A service calls `mail_send(kind, to=…, context=…, key=…)` inside the transaction of the change
that causes the message. It writes one `OutgoingMessage` row per recipient with a unique key, so
a retried or duplicated cause queues nothing twice, and a rolled-back change queues nothing.
After the transaction commits a sender task is queued; the beat runs the same task every minute
as a safety net, so a broker that lost its queue loses nothing.

The sender (`outbox_deliver`) claims a batch of due rows, renders each in its recipient's
language and time zone, sends it with a Message-ID derived from its key, and marks it sent,
one row at a time. What that guarantees:
- every queued message is sent or ends failed or not sent, with the reason on the row;
- a message is sent once; a worker killed mid-batch may resend only what it had in flight when
  it died (at most one message per worker process), with the same Message-ID, once its claim
  has expired (`OUTBOX_CLAIM_SECONDS`);
- only named transient errors (a refused or dropped connection, a 4xx SMTP reply) are retried,
  with backoff, up to `OUTBOX_MAX_ATTEMPTS`; a permanent refusal fails that one message.
"""
