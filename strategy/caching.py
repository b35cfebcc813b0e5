"""A plan's rendered documents (print view, Word, PDF) and its page's content, cached under
a key that changes whenever what they show does: the plan's content version (bumped by every
edit and share), its status and edition, the names and roles of the team (action owners), the
city, the language, the time zone and the day (a draft is dated today), and what else each
rendering shows (the maturity ratings, the open comments, the viewer's rights). Reading the key
costs one small query besides the plan's own row (`plan_stamps`); a hit reads no plan."""

import hashlib
from types import SimpleNamespace

from django.db.models import CharField, DateTimeField, F, IntegerField, TextField, Value
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from accelerator.caching import kept
from accelerator.prepared import PreparedQuery
from cohorts.models import Membership

from .models import Comment, CommentThread, MaturityRating, Strategy

# Only to free memory: a change makes a new key, so nothing stale is ever served.
TTL = 24 * 3600


def _digest(rows):
    return hashlib.blake2b(repr(rows).encode(), digest_size=12).hexdigest()


# Each kind of row in `plan_stamps`' UNION, as the same nine columns: a tag, three numbers, three
# texts and two moments (None where a kind has nothing).
_COLUMNS = ("tag", "n1", "n2", "n3", "t1", "t2", "t3", "a1", "a2")
_NONE = {"n": Value(None, output_field=IntegerField()), "t": Value(None, output_field=TextField()),
         "a": Value(None, output_field=DateTimeField())}


def _rows(queryset, tag, **fields):
    """`queryset` as `_COLUMNS` rows, `fields` naming what goes in which column."""
    values = {f"stamp_{column}": _NONE[column[0]] for column in _COLUMNS[1:]}
    values.update({f"stamp_{column}": F(field) for column, field in fields.items()})
    return queryset.values(stamp_tag=Value(tag, output_field=CharField()), **values).values_list(
        *(f"stamp_{column}" for column in _COLUMNS))


# Stands for the city in the stamp query, compiled once per shape (accelerator.prepared): Django
# takes longer to compile a UNION than the database takes to run it.
_CITY = -7301


def _stamp_query(ratings, threads):
    """`plan_stamps`' query for any city. A city has one plan, so its city finds the plan's threads too."""

    def build(city):
        with scopes_disabled():  # the city is in every part's filter
            parts = [
                _rows(Strategy.objects.filter(city_id=city), "plan", n1="pk", n2="content_version", n3="edition",
                      t1="status", t2="last_changed_by__full_name", a1="last_changed_at", a2="public_since"),
                _rows(Membership.history.filter(city_id=city).order_by(), "team",
                      n1="pk", t1="user__full_name", t2="role", t3="title"),
            ]
            if ratings:
                parts.append(_rows(MaturityRating.objects.filter(city_id=city), "ratings",
                                   n1="pk", n2="level", t1="component", t2="phase", t3="note", a1="rated_at"))
            if threads:
                parts.append(_rows(CommentThread.objects.filter(city_id=city, resolved_at__isnull=True).order_by(),
                                   "threads", n1="pk", t1="part", t2="started_by__full_name"))
                parts.append(_rows(Comment.objects.filter(city_id=city, thread__resolved_at__isnull=True).order_by(),
                                   "threads", n1="thread_id", n2="pk", t2="author__full_name"))
            return parts[0].union(*parts[1:], all=True)

    return PreparedQuery(build, city=_CITY)


_STAMP_QUERIES = {(ratings, threads): _stamp_query(ratings, threads) for ratings in (False, True)
                  for threads in (False, True)}


def plan_stamps(city, *, ratings=False, threads=False):
    """What a rendering of `city`'s plan is keyed on, read in one query: `plan`, the plan's own row
    as far as its renderings show it (None if the city has no plan yet), and digests of `team`
    (every membership an action may point to, ended ones too, with the person's name and role),
    and if asked `ratings` (every maturity rating: level, note and when) and `threads` (the open
    threads and their comments, with their authors' names)."""
    plan, found = None, {"team": [], "ratings": [], "threads": []}
    for tag, *row in _STAMP_QUERIES[ratings, threads].rows(city=city.pk):
            if tag == "plan":
                pk, content_version, edition, status, changed_by, _t3, changed_at, public_since = row
                plan = SimpleNamespace(pk=pk, content_version=content_version, edition=edition, status=status,
                                       is_editable=status in Strategy.EDITABLE_STATUSES,
                                       stamp=(changed_by, str(changed_at), str(public_since)))
            else:
                found[tag].append(repr(row))
    return SimpleNamespace(plan=plan, **{tag: _digest(sorted(rows)) for tag, rows in found.items()})


def plan_key(kind, city, strategy, *parts, team):
    """The cache key of one of `strategy`'s renderings (the Strategy or `plan_stamps(…).plan`);
    `parts` are whatever else it depends on; `team` is `plan_stamps(…).team`."""
    identity = (city.pk, city.slug, city.name, city.language, strategy.pk, strategy.content_version, strategy.status,
                strategy.edition, translation.get_language(), timezone.get_current_timezone_name(),
                timezone.localdate().isoformat(), team, *parts)
    return f"strategy:{kind}:{strategy.pk}:{_digest(identity)}"


def cached(key, build):
    """The value under `key`, built (and kept) on a miss."""
    return kept(key, (), build, seconds=TTL)
