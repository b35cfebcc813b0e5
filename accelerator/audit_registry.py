"""The kinds of audit events: for each action, its group and the message it reads as.

An event stores its action and data; the text is rendered when it is read, in the reader's
language, so the log follows wording fixes and never freezes the actor's language. Apps
register their kinds in their own `audit_kinds.py`, imported from their AppConfig.ready().
This module imports no app, so the dependency order stays one way.
"""

from dataclasses import dataclass, field
from types import MappingProxyType

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise


class UnknownAuditAction(LookupError):
    """A programming error: an event was recorded under an action no app registered."""


@dataclass(frozen=True)
class AuditGroup:
    key: str
    label: Promise


@dataclass(frozen=True)
class AuditKind:
    """`message` is a lazily translated template whose named placeholders are keys of the
    event's data. `labels` turns a stored value into what the reader sees: a choices class
    (the value under the placeholder's own key becomes its label) or a function of the data.
    With `variant`, `message` maps the value of that data key to the template to use."""

    action: str
    message: object
    group: str
    labels: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    variant: str = ""

    def template(self, data):
        return self.message[data[self.variant]] if self.variant else self.message

    def params(self, data, texts=None):
        """The message's values: `data`, with each labelled value as its label in the active
        language. `texts` (see `render`) keeps each set of choices' labels translated once."""
        values = dict(data)
        for name, source in self.labels.items():
            choices = getattr(source, "choices", None)
            if choices is not None:
                if texts is None:
                    labels = dict(choices)
                else:
                    labels = texts.get(id(source))
                    if labels is None:
                        labels = texts[id(source)] = {value: str(label) for value, label in choices}
                values[name] = str(labels.get(data[name], data[name]))
            else:
                values[name] = str(source(data))
        return values

    def render(self, data, texts=None):
        """The text in the active language. Raises KeyError, TypeError or ValueError when the
        data does not hold what the message needs. `texts`, a dict a long list passes to every
        call, keeps each message translated once."""
        template = self.template(data)
        if texts is None:
            return str(template) % self.params(data)
        # Keyed by the message object, which lives as long as the registry (hashing a lazy
        # message would translate it).
        text = texts.get(id(template))
        if text is None:
            text = texts[id(template)] = str(template)
        return text % self.params(data, texts)


_groups = {}
_kinds = {}


def register_group(key, label):
    if key in _groups:
        raise ImproperlyConfigured(f"audit group {key!r} is registered twice")
    if not isinstance(label, Promise):
        raise ImproperlyConfigured(f"audit group {key!r}: the label must be lazily translated")
    _groups[key] = AuditGroup(key, label)
    return _groups[key]


def register_kind(action, message, *, group=None, labels=None, variant=""):
    group = group or action.partition(".")[0]
    if action in _kinds:
        raise ImproperlyConfigured(f"audit action {action!r} is registered twice")
    if group not in _groups:
        raise ImproperlyConfigured(f"audit action {action!r}: group {group!r} is not registered")
    templates = message.values() if variant else [message]
    if not templates or not all(isinstance(t, Promise) for t in templates):
        # A plain string would be translated once, at import, in whatever language was active.
        raise ImproperlyConfigured(f"audit action {action!r}: the message must be lazily translated")
    _kinds[action] = AuditKind(action, message, group, MappingProxyType(dict(labels or {})), variant)
    return _kinds[action]


def audit_kind(action):
    try:
        return _kinds[action]
    except KeyError:
        raise UnknownAuditAction(
            f"audit action {action!r} is not registered; add it to its app's audit_kinds.py"
        ) from None


def registered_kinds():
    return dict(_kinds)


def audit_groups():
    """Every registered group, in registration order."""
    return list(_groups.values())


def actions_in_group(group):
    return sorted(kind.action for kind in _kinds.values() if kind.group == group)


def render_event(action, data, fallback, texts=None):
    """The event's text in the active language, or `fallback` (the stored summary) for rows the
    registry cannot render: an action no longer registered, or data written before it held
    what the message needs. A long list passes the same `texts` dict to every call (see
    AuditKind.render)."""
    kind = _kinds.get(action)
    if kind is None or not isinstance(data, dict):
        return fallback
    try:
        return kind.render(data, texts)
    except (KeyError, TypeError, ValueError):
        return fallback
