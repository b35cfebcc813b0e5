"""A plan's rendered documents (print view, Word, PDF) and the part its page shows, cached under
a key that changes whenever what they show does: the plan's content version (bumped by every
edit and share), its status and edition, the names and roles of the team (action owners), the
city, the language, the time zone and the day (a draft is dated today), and what else each
rendering shows (the maturity ratings, the open comments, the viewer's rights). Reading the key
costs one small query besides those the page makes anyway; a hit reads no plan."""

import hashlib

from django.utils import timezone, translation

from accelerator.caching import kept
from cohorts.models import Membership

# Only to free memory: a change makes a new key, so nothing stale is ever served.
TTL = 24 * 3600


def _digest(rows):
    return hashlib.blake2b(repr(rows).encode(), digest_size=12).hexdigest()


def team_stamp(city):
    """The team as the plan names it (every membership an action may point to, ended ones too)."""
    return _digest(sorted(Membership.history.filter(city=city).values_list("pk", "user__full_name", "role", "title")))


def ratings_stamp(ratings):
    """`ratings` as `selectors.maturity_ratings` gives them."""
    return _digest(sorted((component, phase, r.pk, r.level, r.note, r.rated_at.isoformat() if r.rated_at else "")
                          for component, phases in ratings.items() for phase, r in phases.items()))


def threads_stamp(open_threads):
    """`open_threads` as `selectors.open_threads_by_part` gives them: each thread and its comments
    as shown beside their part (authors' names included)."""
    return _digest(sorted(
        (part, t.pk, t.started_by.full_name if t.started_by else "",
         tuple((c.pk, c.author.full_name if c.author else "") for c in t.comments.all()))
        for part, threads in open_threads.items() for t in threads))


def plan_key(kind, city, strategy, *parts):
    """The cache key of one of `strategy`'s renderings; `parts` are whatever else it depends on."""
    identity = (city.pk, city.slug, city.name, city.language, strategy.pk, strategy.content_version, strategy.status,
                strategy.edition, translation.get_language(), timezone.get_current_timezone_name(),
                timezone.localdate().isoformat(), team_stamp(city), *parts)
    return f"strategy:{kind}:{strategy.pk}:{_digest(identity)}"


def cached(key, build):
    """The value under `key`, built (and kept) on a miss."""
    return kept(key, (), build, seconds=TTL)
