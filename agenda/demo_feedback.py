"""Demo feedback after sessions: about two in three attendees of each past session (coaching
check-ins are not rated) answered, with a comment now and then in their city's language, so the
session pages, the cohort's feedback page and the impact report show results. A session that
has answers already is left alone, so loading twice adds nothing."""

import datetime
import random

from django.db.models import Exists, OuterRef
from django.utils import timezone

from agenda.models import Attendance, Session, SessionFeedback
from agenda.services.feedback import EXCLUDED_KINDS

COMMENTS = {
    "en": ["The worked example from another city was the most useful part.",
           "Too much in one hour; send the slides before.", "We will try the weekly data huddle next month."],
    "es": ["El ejemplo de otra ciudad fue lo más útil.", "Mucho contenido para una hora; envíen las láminas antes.",
           "Vamos a probar la reunión semanal de datos el próximo mes."],
    "pt-br": ["O exemplo de outra cidade foi o mais útil.", "Muito conteúdo para uma hora; mandem os slides antes.",
              "Vamos testar a reunião semanal de dados no mês que vem."],
}
# How each kind tends to land: keynotes inspire, workshops are the ones cities apply.
LEANING = {Session.Kind.KEYNOTE: (4, 3), Session.Kind.WORKSHOP: (4, 4), Session.Kind.CONVENING: (5, 4),
           Session.Kind.SHOWCASE: (4, 4), Session.Kind.CHECKPOINT: (3, 4)}


def _score(rng, centre):
    return max(1, min(5, centre + rng.choice((-1, 0, 0, 0, 1))))


def seed(context):
    now = timezone.now()
    sessions = (Session.objects.filter(ends_at__lte=now).exclude(status=Session.Status.CANCELLED)
                .exclude(kind__in=EXCLUDED_KINDS)
                .exclude(Exists(SessionFeedback.objects.filter(session=OuterRef("pk")))).order_by("starts_at"))
    answers, commented = [], set()
    for session in sessions:
        # One generator per session: a session nobody answered draws the same again on a second load.
        rng = random.Random(f"accelerator-feedback-{session.code}")
        seen = set()
        marks = (Attendance.objects.filter(session=session, status__in=Attendance.ATTENDED)
                 .select_related("city").order_by("person_id"))
        for mark in marks:
            if mark.person_id in seen or rng.random() > 0.65:
                continue
            seen.add(mark.person_id)
            usefulness, will_apply = (_score(rng, c) for c in LEANING.get(session.kind, (4, 4)))
            # Every city's first answer carries a comment, so each city's voice shows whatever the draw.
            with_comment = mark.city_id not in commented or rng.random() < 0.3
            commented.add(mark.city_id)
            comment = rng.choice(COMMENTS.get(mark.city.language, COMMENTS["en"])) if with_comment else ""
            answered = session.ends_at + datetime.timedelta(days=1, hours=rng.randint(1, 30))
            answers.append(SessionFeedback(session=session, city=mark.city, person_id=mark.person_id,
                                           usefulness=usefulness, will_apply=will_apply, comment=comment,
                                           created_at=min(answered, now), updated_at=min(answered, now)))
    SessionFeedback.objects.bulk_create(answers)
    context["feedback_answers"] = len(answers)
