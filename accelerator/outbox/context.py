"""A message's context as JSON: rows by reference, reloaded when the message is rendered.

A model instance is stored as {"$m": "app.model", "pk": …}, a datetime as {"$dt": iso} and a
date as {"$d": iso}; text, numbers, booleans, None, lists and dicts as themselves. A translated
label is refused: store the value and let the template translate it in the recipient's
language."""

import datetime

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .registry import loader_for


class MissingRow(LookupError):
    """A row the message refers to no longer exists."""


def dump(value):
    if isinstance(value, models.Model):
        return {"$m": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, dict):
        return {str(k): dump(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [dump(v) for v in value]
    if isinstance(value, datetime.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$d": value.isoformat()}
    if isinstance(value, Promise):
        raise TypeError("a translated label in a message context would freeze the sender's language; "
                        "store the value and translate it in the template")
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"{type(value).__name__} cannot be stored in a message context")


def _refs(value, found):
    if isinstance(value, dict):
        if "$m" in value:
            found.setdefault(value["$m"], set()).add(value["pk"])
            return
        for v in value.values():
            _refs(v, found)
    elif isinstance(value, list):
        for v in value:
            _refs(v, found)


def load_rows(contexts):
    """{(label, pk): instance} for every row the contexts name: one query per model."""
    found = {}
    for context in contexts:
        _refs(context, found)
    rows = {}
    for label, pks in found.items():
        model = apps.get_model(label)
        loader = loader_for(label)
        # The base manager: the sender serves every city, and the row's key names it exactly.
        loaded = loader(pks) if loader else model._base_manager.in_bulk(pks)
        rows.update({(label, pk): obj for pk, obj in loaded.items()})
    return rows


def load(value, rows):
    if isinstance(value, dict):
        if "$m" in value:
            try:
                return rows[(value["$m"], value["pk"])]
            except KeyError:
                raise MissingRow(_("The %(thing)s this message is about no longer exists.")
                                 % {"thing": value["$m"].rpartition(".")[2]}) from None
        if "$dt" in value:
            return datetime.datetime.fromisoformat(value["$dt"])
        if "$d" in value:
            return datetime.date.fromisoformat(value["$d"])
        return {k: load(v, rows) for k, v in value.items()}
    if isinstance(value, list):
        return [load(v, rows) for v in value]
    return value
