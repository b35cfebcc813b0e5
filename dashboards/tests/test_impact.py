"""The impact report: maturity from baseline to end per component and city, strategies approved and
public, the convening, attendance by role and kind, the coaching cadence, showcases sustained;
as a page with charts and tables, a PDF and a CSV, comparable across cohorts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accelerator.tests.queries import assert_num_page_queries
from agenda.models import Attendance
from agenda.tests.factories import SessionFactory
from coaching.models import Showcase, ShowcaseFeedback
from coaching.tests.factories import ShowcaseFactory
from cohorts.tests.factories import CityFactory, CohortFactory
from strategy.models import MaturityRating
from strategy.tests.factories import approve_plan
from strategy.tests.pdf_structure import pdf_structure

from ..impact import impact_report
from .factories import add_city

pytestmark = pytest.mark.django_db


def rate(city, **levels):
    """rate(city, governance=(1, 3)): baseline and end levels per component."""
    for component, (baseline, end) in levels.items():
        MaturityRating.objects.create(city=city, component=component, phase="baseline", level=baseline)
        if end is not None:
            MaturityRating.objects.create(city=city, component=component, phase="end", level=end)


@pytest.fixture
def cohort(world):
    with scopes_disabled():
        rate(world.city, governance=(1, 3), quality=(2, 2))
        rate(world.other_city, governance=(2, 2), quality=(1, None))
        approve_plan(world.city, public=True)
        approve_plan(world.other_city)
        workshop = SessionFactory(cohort=world.cohort, starts_at=timezone.now() - datetime.timedelta(days=3))
        Attendance.objects.create(session=workshop, city=world.city, person=world.users["mayor"], status="present")
        Attendance.objects.create(session=workshop, city=world.city, person=world.users["member"], status="absent")
    return world.cohort


def url(cohort, name="impact", **query):
    address = reverse(f"dashboards:{name}", kwargs={"cohort_slug": cohort.slug})
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_report_counts_maturity_change_per_component_and_city(world, cohort):
    with scopes_disabled():
        report = impact_report(cohort)
    governance, quality = report.maturity[0], report.maturity[1]
    assert (governance["cities"], governance["baseline"], governance["end"], governance["change"],
            governance["raised"]) == (2, 1.5, 2.5, 1.0, 1)
    assert (quality["cities"], quality["raised"]) == (1, 0)  # Beta rated no end for quality
    assert report.maturity[2]["cities"] == 0 and report.maturity[2]["change"] is None
    assert report.maturity_by_city[0]["components"][0] == (1, 3)
    assert "1 of 2 cities raised data governance by at least one level." in report.sentences
    assert "2 of 2 cities have an approved strategy; 1 made it public." in report.sentences
    assert report.strategies == {"approved": 2, "public": 1, "cities": 2}


def test_attendance_is_counted_by_role_and_by_kind_of_session(world, cohort):
    with scopes_disabled():
        report = impact_report(cohort)
    assert [(r["label"], r["attended"], r["marked"]) for r in report.attendance_by_role] == [
        ("Mayor", 1, 1), ("Chief data officer", 0, 1)]
    assert [(r["label"], r["rate"]) for r in report.attendance_by_kind] == [("Workshop", 50)]
    assert report.attendance_total == 50


def test_the_coaching_cadence_and_sustained_showcases(world, cohort):
    with scopes_disabled():
        cohort.start_date = timezone.localdate() - datetime.timedelta(days=30)
        cohort.save(update_fields=["start_date"])
        from coaching.tests.factories import CheckInFactory

        for days_ago in (25, 12, 2):
            CheckInFactory(city=world.city, coach=world.users["coach"],
                           held_on=timezone.localdate() - datetime.timedelta(days=days_ago))
        showcase = ShowcaseFactory(city=world.city, status=Showcase.Status.FEEDBACK)
        for sustained in ("not_yet", "yes"):  # the latest answer counts
            ShowcaseFeedback.objects.create(showcase=showcase, coach=world.users["coach"], what_works="Routine",
                                            to_strengthen="Cover", sustained=sustained)
        report = impact_report(cohort)
    assert report.cadence["kept"] == 1 and report.cadence["cities"] == 2 and report.cadence["checkins"] == 3
    assert report.showcases["with_feedback"] == 1 and report.showcases["sustained"] == 1


def test_the_page_has_charts_with_tables_and_sentences(client, world, cohort):
    client.force_login(world.users["staff"])
    page = client.get(url(cohort)).content.decode()
    assert "<svg" in page and 'role="img"' in page and "Maturity at baseline and at the end, per component" in page
    assert "<caption>Average maturity per component" in page
    assert "1 of 2 cities raised data governance by at least one level." in page
    assert "1 → 3" in page  # Alpha's governance in the per-city table
    assert "No showcase has had feedback yet." in page  # sections without data say so


def test_cohorts_compare_figure_by_figure(client, world, cohort):
    with scopes_disabled():
        earlier = CohortFactory(name="Cohort of 2024", slug="c2024", start_date=datetime.date(2024, 1, 8),
                                end_date=datetime.date(2024, 12, 12), status="completed")
        rate(CityFactory(cohort=earlier), governance=(1, 2))
    client.force_login(world.users["staff"])
    page = client.get(url(cohort, compare="c2024")).content.decode()
    table = page.split('id="impact-compare"')[1].split("</table>")[0]
    assert "Cohort of 2024" in table
    row = table.split("Data governance: cities up at least one level")[1].split("</tr>")[0]
    assert "1 / 2" in row and "1 / 1" in row
    assert 'id="impact-compare"' not in client.get(url(cohort, compare="nonsense")).content.decode()


def test_the_csv_holds_the_numbers_and_is_audited(client, world, cohort):
    client.force_login(world.users["staff"])
    response = client.get(url(cohort, "impact_csv"))
    body = b"".join(response.streaming_content).decode()
    assert "Maturity,Data governance,average baseline,1.5" in body
    assert f"Headline,{cohort.name},Data governance: average change in maturity,1" in body
    assert "Maturity by city,Alpha City,Data governance: end,3" in body
    with scopes_disabled():
        assert cohort.audit_events.filter(action="export.impact").count() == 1


def test_the_pdf_is_tagged(client, world, cohort):
    client.force_login(world.users["staff"])
    response = client.get(url(cohort, "impact_pdf"))
    pdf = pdf_structure(response.content)
    assert pdf["has_tree"] and pdf["lang"] == "en" and pdf["title"].startswith("Impact report:")
    assert pdf["alts"][0] == "Maturity at baseline and at the end, per component"
    assert pdf["tags"]["/Table"] >= 4


def test_the_report_takes_the_same_queries_for_more_cities(client, world, cohort):
    client.force_login(world.users["staff"])
    assert_num_page_queries(client, url(cohort), expected=12,
                            grow=lambda: add_city(cohort, world.users["coach"]))


def test_session_feedback_is_scored_per_kind_and_learning_goal(client, world, cohort):
    from agenda.models import Session, SessionFeedback

    with scopes_disabled():
        keynote = SessionFactory(cohort=world.cohort, kind=Session.Kind.KEYNOTE, learning_goal="invest",
                                 starts_at=timezone.now() - datetime.timedelta(days=5))
        workshop = SessionFactory(cohort=world.cohort, learning_goal="lead",
                                  starts_at=timezone.now() - datetime.timedelta(days=4))
        for session, person, city, usefulness, will_apply in (
                (keynote, world.users["mayor"], world.city, 4, 3), (workshop, world.users["mayor"], world.city, 5, 5),
                (workshop, world.mayor_b, world.other_city, 2, 4)):
            SessionFeedback.objects.create(session=session, person=person, city=city, usefulness=usefulness,
                                           will_apply=will_apply)
        report = impact_report(cohort)
    assert [(r["label"], r["count"], r["usefulness"], r["will_apply"]) for r in report.feedback_by_kind] == [
        ("Keynote", 1, 4.0, 3.0), ("Workshop", 2, 3.5, 4.5)]
    assert [(r["label"], r["count"]) for r in report.feedback_by_goal] == [
        ("Lead confidently with data", 2), ("Invest in the right people, practices and platforms", 1)]
    assert report.feedback == {"count": 3, "usefulness": 3.7, "will_apply": 4.0}
    assert ("In 3 answers after sessions, attendees rated them 3.7 of 5 for usefulness and 4.0 of 5 for applying "
            "them in their city.") in report.sentences
    client.force_login(world.users["staff"])
    page = client.get(url(cohort)).content.decode()
    section = page.split('id="impact-feedback"')[1].split("</section>")[0]
    assert "Average scores by learning goal (1 to 5)" in section and 'role="img"' in section
    body = b"".join(client.get(url(cohort, "impact_csv")).streaming_content).decode()
    assert "Session feedback by kind of session,Workshop,usefulness (1–5),3.5" in body


def test_without_feedback_the_report_says_so(client, world, cohort):
    client.force_login(world.users["staff"])
    assert "No session has had feedback yet." in client.get(url(cohort)).content.decode()


@pytest.fixture
def convened(world, cohort):
    """A finished convening: Alpha's mayor came every day, Beta's missed the Friday."""
    from convening.tests.factories import make_convening

    start = timezone.now() - datetime.timedelta(days=10)
    session = make_convening(world.cohort, start=start)
    with scopes_disabled():
        for city, mayor in ((world.city, world.users["mayor"]), (world.other_city, world.mayor_b)):
            for day in session.test_days:
                if not (city == world.other_city and day.label == "Friday"):
                    Attendance.objects.create(session=session, day=day, city=city, person=mayor, status="present")
    return session


def test_after_the_convening_the_report_reads_the_stored_rows(client, world, convened, django_assert_num_queries):
    from cohorts.services.dashboard_rows import dashboard_rows_changed
    from dashboards.read_model import rows_refresh

    with scopes_disabled():
        from_board = impact_report(world.cohort).convening
        rows_refresh([world.city.pk, world.other_city.pk])
        # The cities with their rows, the maturity ratings, the convening, attendance, check-ins,
        # showcases and feedback (the cadence setting was read by the first report): no board.
        with django_assert_num_queries(7):
            stored = impact_report(world.cohort).convening
        assert stored == from_board and (stored["compliant"], stored["cities"]) == (1, 2)
        # Beta's Friday is marked after all: its row is out of date until recomputed, so the
        # report counts from the board again.
        Attendance.objects.create(session=convened, day=convened.test_days[2], city=world.other_city,
                                  person=world.mayor_b, status="present")
        dashboard_rows_changed(city_ids=[world.other_city.pk])
        assert impact_report(world.cohort).convening["compliant"] == 2
