import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from accelerator.tests.factories import CoachFactory, Factory, UserFactory
from coaching.models import ActionItem, CheckIn, EvidenceFile, LearningGoal, MayorDecision, Showcase, ShowcaseFeedback
from cohorts.tests.factories import CityFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class CheckInFactory(Factory):
    class Meta:
        model = CheckIn

    city = factory.SubFactory(CityFactory)
    coach = factory.SubFactory(CoachFactory)
    held_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    focus_goal = LearningGoal.LEAD
    summary = "We reviewed the data inventory."
    private_notes = ""


class ActionItemFactory(Factory):
    class Meta:
        model = ActionItem

    checkin = factory.SubFactory(CheckInFactory)
    city = factory.SelfAttribute("checkin.city")
    what = factory.Sequence(lambda n: f"Action {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class DecisionFactory(Factory):
    class Meta:
        model = MayorDecision

    city = factory.SubFactory(CityFactory)
    raised_by = factory.SubFactory(CoachFactory)
    question = factory.Sequence(lambda n: f"Should we publish dataset {n}?")
    context = "The team needs direction."
    options = "Yes\nNo"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=5))


class ShowcaseFactory(Factory):
    class Meta:
        model = Showcase

    city = factory.SubFactory(CityFactory)
    title = factory.Sequence(lambda n: f"Weekly performance stat {n}")
    kind = Showcase.Kind.DATA_ROUTINE
    what_changed = "Department heads meet weekly over a shared dashboard."
    for_whom = "Department heads and residents."
    sustain_plan = "Written into the city manager's standing agenda."
    created_by = factory.SubFactory(UserFactory)


class EvidenceFileFactory(Factory):
    class Meta:
        model = EvidenceFile

    showcase = factory.SubFactory(ShowcaseFactory)
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="evidence.pdf"))
    original_name = "evidence.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)


class FeedbackFactory(Factory):
    class Meta:
        model = ShowcaseFeedback

    showcase = factory.SubFactory(ShowcaseFactory, status=Showcase.Status.FEEDBACK)
    coach = factory.SubFactory(CoachFactory)
    what_works = "Clear owners."
    to_strengthen = "Publish the minutes."
    sustained = ShowcaseFeedback.Sustained.PARTLY
