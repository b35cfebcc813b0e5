"""The convening's outcome per person, derived from the segment marks and the staff's decisions.

The ledger row without a day (`agenda.Attendance` with `day` unset) is what every roll-up reads
for a convening; it is written here and nowhere else, by `convening_outcomes_sync`, which every
path that changes a segment mark or a decision calls (the desk, a refused stand-in, the
enforcement's sweep, an eligibility decision). So the whole-convening mark can never disagree
with the segments it summarises."""

from django.utils import timezone
from django_scopes import scopes_disabled

from agenda.models import Attendance
from cohorts.models import Membership, Role

from ..models import EligibilityReview
from .windows import required_days

S = Attendance.Status
# A segment that ended without a mark counts as missed; one not yet over leaves the outcome open.
MISSING = "missing"
NOT_YET = None


def segments_counted(session, days):
    """The segments an outcome is made of: the required ones, or every one when none is required."""
    return required_days(session, days) or list(days)


def convening_outcome(statuses, *, restored=False):
    """The outcome of one person's segments (each a status, `MISSING` or `NOT_YET`), given whether a
    staff decision restored their city (excused or eligible). None while a segment is still to come
    and nothing is missed yet.

    Missing a segment outweighs attending the others (the no-surrogate rule asks for every one);
    a refused stand-in says more than a bare absence; a restoring decision excuses what was missed;
    among attended segments the least punctual one names the outcome."""
    missed = [s for s in statuses if s is not NOT_YET and s not in (*Attendance.ATTENDED, S.EXCUSED)]
    if missed:
        if restored:
            return S.EXCUSED
        return S.SURROGATE_REFUSED if S.SURROGATE_REFUSED in missed else S.ABSENT
    if NOT_YET in statuses or not statuses:
        return None
    attended = [s for s in statuses if s in Attendance.ATTENDED]
    if not attended:
        return S.EXCUSED
    for status in (S.LATE, S.LEFT_EARLY):
        if status in attended:
            return status
    return S.PRESENT


def _segment_statuses(days, marks, person_id, now):
    statuses = []
    for day in days:
        row = marks.get((person_id, day.pk))
        if row is not None:
            statuses.append(row.status)
        else:
            statuses.append(MISSING if now >= day.ends_at else NOT_YET)
    return statuses


def _expected(session, days, marks, now, *, mayor_ids=None, reviews=None):
    """What each person's outcome row should hold: {person_id: (city_id, status, source, operator, at)}.
    `mayor_ids` and `reviews` ({city_id: review}), when the caller has them, spare their reads."""
    counted = segments_counted(session, days)
    people, latest_mark = {}, {}
    for row in marks.values():
        people.setdefault(row.person_id, row.city_id)
        if row.person_id not in latest_mark or row.marked_at > latest_mark[row.person_id]:
            latest_mark[row.person_id] = row.marked_at
    # The mayors of this cohort's cities: a person may be a mayor in another cohort and not in this one.
    if mayor_ids is None:
        mayor_ids = set(
            Membership.objects.filter(user_id__in=people, role=Role.MAYOR, cohort_id=session.cohort_id)
            .values_list("user_id", flat=True)
        )
    mayors = {person_id for person_id in people if person_id in mayor_ids}
    if reviews is None:
        reviews = {r.city_id: r for r in EligibilityReview.objects.filter(session=session,
                                                                          city_id__in=people.values())}
    expected = {}
    for person_id, city_id in people.items():
        review = reviews.get(city_id) if person_id in mayors else None
        decided = review is not None and not review.is_pending
        restored = decided and review.state in EligibilityReview.RESTORED
        statuses = _segment_statuses(counted, marks, person_id, now)
        status = convening_outcome(statuses, restored=restored)
        if status is None:
            continue
        latest = latest_mark[person_id]
        missed = status in (S.ABSENT, S.SURROGATE_REFUSED) or (restored and status == S.EXCUSED)
        if decided and missed:
            expected[person_id] = (city_id, status, Attendance.Source.STAFF_DECISION, review.decided_by_id,
                                   review.decided_at or latest)
        else:
            expected[person_id] = (city_id, status, Attendance.Source.DERIVED, None, latest)
    return expected


@scopes_disabled()  # a convening spans every city of its cohort
def convening_outcomes_sync(*, session, city_ids=None, now=None, days=None, rows=None, mayor_ids=None,
                            reviews=None):
    """Write each person's convening outcome from their segment marks and their city's decision, in
    a fixed number of queries however many people. `city_ids` limits the work to those cities.

    A caller that has read them already passes them down instead of having them read again:
    `days`, the session's segments in order; `rows`, every ledger row of the session as it stands
    (segment marks and outcomes); `mayor_ids`, the user ids of the cohort's current mayors;
    `reviews`, the session's eligibility reviews as {city_id: review}.
    Returns the number of outcome rows created, changed or removed."""
    now = now or timezone.now()
    days = list(session.days.order_by("starts_at")) if days is None else days
    if not days:
        return 0
    if rows is None:
        rows = Attendance.objects.filter(session=session)
        if city_ids is not None:
            rows = rows.filter(city_id__in=city_ids)
    elif city_ids is not None:
        city_ids = set(city_ids)
        rows = [row for row in rows if row.city_id in city_ids]
    marks, current = {}, {}
    for row in rows:
        if row.day_id is None:
            current[row.person_id] = row
        else:
            marks[(row.person_id, row.day_id)] = row
    expected = _expected(session, days, marks, now, mayor_ids=mayor_ids, reviews=reviews)
    to_create, to_update = [], []
    for person_id, (city_id, status, source, operator, at) in expected.items():
        row = current.get(person_id)
        if row is None:
            to_create.append(Attendance(session=session, city_id=city_id, person_id=person_id, status=status,
                                        source=source, marked_by_id=operator, marked_at=at))
        elif (row.status, row.source, row.marked_by_id, row.marked_at) != (status, source, operator, at):
            row.status, row.source, row.marked_by_id, row.marked_at = status, source, operator, at
            to_update.append(row)
    # An outcome with no segment behind it (a segment mark undone, or a mark made before outcomes
    # were derived) says nothing true: it goes, so the ledger never contradicts itself.
    stale = [row.pk for person_id, row in current.items() if person_id not in expected]
    if to_create:
        Attendance.objects.bulk_create(to_create)
    if to_update:
        Attendance.objects.bulk_update(to_update, ["status", "source", "marked_by", "marked_at"])
    if stale:
        Attendance.objects.filter(pk__in=stale).delete()
    return len(to_create) + len(to_update) + len(stale)
