"""The kinds of outgoing messages: template, subject, who gets them and why.

Apps register their kinds in their own `message_kinds.py`, imported from their
AppConfig.ready(). This module imports no app, so the dependency order stays one way; the
README's table of messages is checked against this registry."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise


class UnknownMessageKind(LookupError):
    """A programming error: a message was queued under a kind no app registered."""


@dataclass(frozen=True)
class MessageKind:
    """`template` names a pair: `<template>.txt` (the plain-text body) and `<template>.html`
    (its HTML alternative). Both are rendered with the message's context in the recipient's
    language and time zone. `subject` is lazily translated; its placeholders are filled by
    `subject_params(context)` (by default every context value as text).

    `personal=False` says the body does not depend on who receives it (the template does not
    use `recipient`): the sender then renders it once per (kind, context, language, time zone)
    and reuses it. `digestible` kinds wait for the daily digest when the recipient asked for one.
    `still_wanted(context, now)` returns a reason when the message is no use any more (its
    session was cancelled or has started). `attachments(context, cache)` returns
    (filename, bytes, mimetype) triples; `cache` is a dict shared by one batch. `prepare(values,
    message)` adds to the template's values (the digest renders its entries there)."""

    name: str
    template: str
    subject: Promise
    audience: Promise
    why: Promise
    personal: bool = True
    digestible: bool = False
    subject_params: Callable | None = None
    still_wanted: Callable | None = None
    attachments: Callable | None = None
    prepare: Callable | None = None

    def subject_text(self, context):
        params = self.subject_params(context) if self.subject_params else context
        return str(self.subject) % {k: str(v) for k, v in params.items()}


_kinds = {}
_loaders = {}


def register_message(name, *, template, subject, audience, why, **options):
    if name in _kinds:
        raise ImproperlyConfigured(f"message kind {name!r} is registered twice")
    for label, value in (("subject", subject), ("audience", audience), ("why", why)):
        if not isinstance(value, Promise):
            raise ImproperlyConfigured(f"message kind {name!r}: the {label} must be lazily translated")
    _kinds[name] = MessageKind(name, template, subject, audience, why, **options)
    return _kinds[name]


def message_kind(name):
    try:
        return _kinds[name]
    except KeyError:
        raise UnknownMessageKind(f"message kind {name!r} is not registered; add it to its app's "
                                 f"message_kinds.py") from None


def registered_messages():
    return dict(_kinds)


def register_loader(model_label, loader):
    """How the sender loads rows of `model_label` named in contexts: `loader(pks)` returns
    {pk: instance}, e.g. with the relations its templates read already joined."""
    _loaders[model_label] = loader


def loader_for(model_label):
    return _loaders.get(model_label)
