"""What the demo shows, app by app, against one seeding of the demo for the whole module.

Seeding takes about ten seconds, so the read-only demo tests share it: the module fixture seeds
inside a transaction and rolls it back when the module is done, so no other test sees the demo.
Each test still runs in its own savepoint. Tests that must seed on their own stay elsewhere:
test_seed_demo (running it twice, refusing with DEBUG off) and test_browser_foundation (the live
server needs committed rows)."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_scopes import scope, scopes_disabled

from accelerator.models import User
from agenda.models import Attendance, Session, SessionInvitation
from coaching.models import (
    ActionItem,
    CheckIn,
    MayorDecision,
    Showcase,
    ShowcaseFeedback,
)
from cohorts.models import City, Cohort
from strategy.models import (
    CommentThread,
    MaturityRating,
    PublishedEdition,
    Revision,
    Strategy,
)

EASTERN = zoneinfo.ZoneInfo("America/New_York")


# The demo, seeded once for this module (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_seeded")]


# agenda

def test_demo_calendar_shows_a_program_in_progress(client):
    with scopes_disabled():  # reads every city's rows: the demo's calendar spans every city of its cohorts
        convening = Session.objects.get(cohort__slug="2024", kind=Session.Kind.CONVENING)
        days = [(timezone.localtime(d.starts_at, EASTERN), timezone.localtime(d.ends_at, EASTERN))
                for d in convening.days.all()]
        assert [start.date() for start, _ in days] == [datetime.date(2024, 6, 26), datetime.date(2024, 6, 27),
                                                       datetime.date(2024, 6, 28)]
        assert days[0][0].hour >= 17  # Wednesday evening
        assert days[-1][1].hour <= 15  # Friday until the afternoon
        assert convening.invitations.count() == 12  # the mayors, and only them
        kinds = set(Session.objects.filter(cohort__slug="2024").values_list("kind", flat=True))
        assert kinds == set(Session.Kind.values)
        # Past sessions have answers and attendance; the running cohort has sessions ahead with open answers.
        assert Attendance.objects.filter(session__cohort__slug="2024").count() > 500
        now = timezone.now()
        running = Session.objects.filter(cohort__status="running")
        assert running.filter(ends_at__lte=now).exists() and running.filter(starts_at__gt=now).count() >= 10
        assert SessionInvitation.objects.filter(session__in=running.filter(starts_at__gt=now),
                                                response="pending").exists()
        assert SessionInvitation.objects.filter(response="apology").exclude(reason="").exists()
        current = Session.objects.filter(cohort__status="running").first().cohort

    # The demo's calendar pages open for each role.
    for email, urls in [
        ("staff@example.org", ["/cohorts/2024/sessions/?month=2024-06", f"/cohorts/{current.slug}/sessions/",
                               convening.get_absolute_url(), f"/sessions/{convening.code}/attendance/"]),
        ("coach@example.org", [f"/cohorts/{current.slug}/sessions/?view=list", "/sessions/"]),
        ("mayor.tulsa@example.org", ["/sessions/", convening.get_absolute_url(), "/cities/tulsa/sessions/"]),
        ("cdo.curitiba@example.org", ["/sessions/", "/cities/curitiba/sessions/"]),
    ]:
        client.force_login(User.objects.get(email=email))
        for url in urls:
            assert client.get(url).status_code == 200, (email, url)
    client.force_login(User.objects.get(email="staff@example.org"))
    june = client.get("/cohorts/2024/sessions/?month=2024-06").content.decode()
    assert june.count("Mayors&#x27; convening") >= 4  # on each of its three days, and in the list


# coaching (that loading the demo twice changes no coaching row is checked in test_seed_demo)

def test_demo_shows_coaching_in_progress():
    with scopes_disabled():  # reads every city's rows: counts over the whole demo
        assert all(M.objects.count() for M in (CheckIn, ActionItem, MayorDecision, Showcase, ShowcaseFeedback))
        assert ActionItem.carried_into.through.objects.exists()  # some items carried forward
        statuses = set(MayorDecision.objects.values_list("status", flat=True))
        assert {"pending", "decided"} <= statuses
        assert MayorDecision.objects.filter(status="pending", due_on__lt=timezone.localdate()).exists()
        assert Showcase.objects.filter(status="feedback").exists()


# dashboards

def test_the_demo_makes_every_dashboard_widget_meaningful(client):
    client.force_login(User.objects.get(email="staff@example.org"))
    current = Cohort.objects.exclude(slug="2024").get()
    dashboard = client.get(reverse("dashboards:cohort", kwargs={"cohort_slug": current.slug})).context["dashboard"]
    reasons = " ".join(r for row in dashboard.rows for r in row.reasons)
    for kind in ("Check-in overdue", "mayor decision overdue", "waited for feedback", "Absence warning"):
        assert kind in reasons
    assert any(not row.needs_attention for row in dashboard.rows)
    assert len({row.strategy.status for row in dashboard.rows if row.strategy}) >= 4
    assert [s for s in dashboard.charts["attendance"]["table"] if s["rate"]]
    assert all(m["cities"] for m in dashboard.charts["maturity"]["table"])

    old = client.get(reverse("dashboards:cohort", kwargs={"cohort_slug": "2024"})).context["dashboard"]
    assert any("Eligibility pending review" in r for row in old.rows for r in row.reasons)
    assert all(m["cities"] == len(old.rows) for m in old.charts["maturity"]["table"])

    client.force_login(User.objects.get(email="cdo.curitiba@example.org"))
    home = client.get(reverse("dashboards:city_home", kwargs={"city_slug": "curitiba"}))
    assert home.context["next_actions"] and home.context["upcoming"]


# strategy

def test_the_demo_shows_plans_at_every_stage(client):
    with scopes_disabled():  # reads every city's rows: plans of every city of the demo side by side
        states = dict(Strategy.objects.values_list("city__slug", "status"))
    assert states["tulsa"] == "published" and states["santiago"] == "submitted"
    assert states["panama-city"] == "changes_requested" and states["montevideo"] == "endorsed"
    assert states["curitiba"] == "draft"
    louisville, tulsa, curitiba = (City.objects.get(slug=slug) for slug in ("louisville", "tulsa", "curitiba"))
    with scope(city=curitiba):
        assert CommentThread.objects.filter(city__slug="curitiba", resolved_at__isnull=True).exists()
    with scope(city=louisville):
        assert Strategy.objects.get(city__slug="louisville").edition == 2
        assert PublishedEdition.objects.filter(city__slug="louisville", edition=1).exists()
    with scope(city=tulsa):
        assert Revision.objects.filter(city__slug="tulsa").count() > 20
        assert MaturityRating.objects.filter(city__slug="tulsa", phase="end").count() == 4
    for email, slug in [("cdo.curitiba@example.org", "curitiba"), ("mayor.montevideo@example.org", "montevideo"),
                        ("coach@example.org", "santiago"), ("staff@example.org", "louisville")]:
        client.force_login(User.objects.get(email=email))
        for path in ["", "print/", "history/", "review/", "comments/", "export.docx"]:
            assert client.get(f"/cities/{slug}/strategy/{path}").status_code == 200, (email, path)
    mayor = User.objects.get(email="mayor.montevideo@example.org")
    client.force_login(mayor)
    page = client.get("/cities/montevideo/strategy/").content.decode()
    assert mayor.language == "es" and '<html lang="es">' in page  # Montevideo's mayor reads Spanish
    with translation.override("es"):
        assert gettext("Approve and publish") in page


# what the program produces

def test_anyone_reads_tulsas_published_strategy_and_no_other_citys(client):
    page = client.get("/strategies/2024/tulsa/").content.decode()
    assert "Data strategy of Tulsa" in page and "every Tulsan can see how the city is doing" in page
    assert "Launch a monthly performance review chaired by the mayor" in page
    assert client.get("/strategies/2024/").status_code == 200
    for city in City.objects.select_related("cohort").exclude(slug="tulsa"):
        assert client.get(f"/strategies/{city.cohort.slug}/{city.slug}/").status_code == 404, city.slug
        assert client.get(f"/strategies/{city.cohort.slug}/{city.slug}/strategy.pdf").status_code == 404, city.slug
    current = Cohort.objects.exclude(slug="2024").get()
    assert client.get(f"/strategies/{current.slug}/").status_code == 404  # nothing public there yet


def test_tulsas_pdf_has_a_structure_tree_language_and_title(client):
    from strategy.tests.pdf_structure import pdf_structure

    response = client.get("/strategies/2024/tulsa/strategy.pdf")
    pdf = pdf_structure(response.content)
    assert pdf["has_tree"] and pdf["marked"] and pdf["pdfua"]
    assert pdf["lang"] == "en" and pdf["title"].startswith("Data strategy of Tulsa")
    assert pdf["tags"]["/H1"] == 1 and pdf["tags"]["/Table"] and len(pdf["alts"]) == 2


def test_the_2024_impact_report_shows_baseline_and_end_maturity_per_component(client):
    from strategy.demo import CITIES

    client.force_login(User.objects.get(email="staff@example.org"))
    page = client.get("/cohorts/2024/impact/").content.decode()
    table = page.split("<caption>Average maturity per component")[1].split("</table>")[0]
    finished = [v for v in CITIES.values() if v[5] is not None and v[0] in ("published", "amending")]
    for component, label in (("governance", "Data governance"), ("quality", "Data quality"), ("use", "Data use"),
                             ("transparency", "Transparency")):
        baseline = round(sum(v[4][component] for v in finished) / len(finished), 1)
        end = round(sum(v[5][component] for v in finished) / len(finished), 1)
        row = table.split(f">{label}</th>")[1].split("</tr>")[0]
        assert f"<td>{len(finished)}</td><td>{baseline:g}</td><td>{end:g}</td>" in row, (label, row)
    assert "cities raised data governance by at least one level." in page
    assert ">Tulsa</th>" in page.split("Maturity per city")[1]


def test_the_demo_cities_learn_from_what_others_shared(client):
    client.force_login(User.objects.get(email="cdo.curitiba@example.org"))
    page = client.get("/cities/curitiba/strategy/peers/").content.decode()
    assert "Santiago" in page and "Montevideo" in page
    client.force_login(User.objects.get(email="mayor.tulsa@example.org"))
    page = client.get("/cities/tulsa/strategy/peers/").content.decode()
    assert "Adopt a citywide data policy" in page and "Bogot" in page


def test_the_demo_shows_feedback_after_sessions(client):
    from agenda.models import SessionFeedback

    with scopes_disabled():
        answers = SessionFeedback.objects.all()
        assert answers.filter(session__cohort__slug="2024").count() > 50
        assert answers.filter(session__cohort__status="running").exists()
        assert not answers.filter(session__kind=Session.Kind.COACHING).exists()
        assert answers.filter(city__slug="curitiba").exclude(comment="").exists()
        answered = answers.filter(session__cohort__slug="2024").select_related("session").first().session
    client.force_login(User.objects.get(email="staff@example.org"))
    impact = client.get("/cohorts/2024/impact/").content.decode()
    assert "Average scores by learning goal (1 to 5)" in impact and "No session has had feedback yet." not in impact
    cohort_page = client.get("/cohorts/2024/feedback/").content.decode()
    assert "Lead confidently with data" in cohort_page.split('id="by-goal"')[1]
    client.force_login(User.objects.get(email="coach@example.org"))
    results = client.get(f"/sessions/{answered.code}/feedback/results/")
    assert results.status_code == 200 and results.context["summary"]["count"] > 0


# cohorts: people across cohorts, and a cohort copied from the 2024 one

def test_the_tulsa_team_is_on_both_tulsas_and_each_sees_both(client):
    from cohorts.models import Membership

    with scopes_disabled():
        returning = City.objects.select_related("cohort").get(slug="tulsa-returning")
        assert returning.cohort.status == Cohort.Status.RUNNING and returning.name == "Tulsa"
        team_2024 = dict(Membership.objects.filter(city__slug="tulsa").values_list("user__email", "role"))
        assert len(team_2024) == 5 and dict(
            Membership.objects.filter(city=returning).values_list("user__email", "role")) == team_2024
    for email in team_2024:
        client.force_login(User.objects.get(email=email))
        home = client.get("/").content.decode()
        for slug in ("tulsa", "tulsa-returning"):
            assert home.count(f'href="/cities/{slug}/"') == 2, (email, slug)  # the list and the menu
            assert client.get(f"/cities/{slug}/").status_code == 200, (email, slug)
    # Their 2024 history stays with the 2024 Tulsa.
    with scopes_disabled():
        assert Attendance.objects.filter(city__slug="tulsa", person__email__in=team_2024).count() > 20
        assert not Attendance.objects.filter(city=returning, session__cohort__slug="2024").exists()


def test_a_copy_of_the_2024_cohort_has_its_session_pattern_on_new_dates():
    from cohorts.copying import CopyRequest
    from cohorts.services.cohort_copy import cohort_copy

    def pattern(cohort, shift_days=0):
        rows = []
        for s in Session.objects.filter(cohort=cohort).exclude(status="cancelled").select_related("city") \
                .prefetch_related("days").order_by("starts_at", "title", "city__name"):
            zone = zoneinfo.ZoneInfo(s.time_zone)

            def wall(moment, zone=zone):
                return timezone.localtime(moment, zone).replace(tzinfo=None) + datetime.timedelta(days=shift_days)
            rows.append((s.kind, s.title, s.audience, s.required, s.city.name if s.city_id else None, s.time_zone,
                         wall(s.starts_at), wall(s.ends_at),
                         [(d.label, wall(d.starts_at), wall(d.ends_at)) for d in s.days.all()]))
        return rows

    staff = User.objects.get(email="staff@example.org")
    with scopes_disabled():
        source = Cohort.objects.get(slug="2024")
        cities = list(City.objects.filter(cohort=source))
        start = datetime.date(2026, 6, 24)  # a Wednesday, as 26 June 2024 was: 104 weeks later
        copy = cohort_copy(request=CopyRequest(source=source, name="2026 cohort", slug="2026", start_date=start,
                                               cities=cities), actor=staff)
        shift = (start - source.start_date).days
        copied = pattern(copy)
        assert copied == pattern(source, shift)
        kinds = {row[0] for row in copied}
        assert kinds >= {"keynote", "workshop", "convening", "coaching", "checkpoint", "showcase"}
        convening = next(row for row in copied if row[0] == "convening")
        assert [day[1].date() for day in convening[8]] == [datetime.date(2026, 6, 24), datetime.date(2026, 6, 25),
                                                          datetime.date(2026, 6, 26)]
        assert len(copied) == Session.objects.filter(cohort=source).exclude(status="cancelled").count()
        assert City.objects.filter(cohort=copy).count() == len(cities)


# completion

def test_the_2024_cohort_is_closed_with_each_citys_outcome_and_its_reasons(client):
    from completion.models import CityOutcome

    with scopes_disabled():
        cohort = Cohort.objects.get(slug="2024")
        outcomes = dict(CityOutcome.objects.filter(city__cohort=cohort).values_list("city__slug", "outcome"))
        assert cohort.status == Cohort.Status.COMPLETED
        assert set(City.objects.filter(cohort=cohort).values_list("status", flat=True)) == {City.Status.ALUMNI}
    assert outcomes["merida"] == "not_completed"
    assert {slug for slug, outcome in outcomes.items() if outcome == "completed"} == set(outcomes) - {"merida"}
    client.force_login(User.objects.get(email="staff@example.org"))
    page = client.get("/cohorts/2024/").content.decode()
    section = page.split('id="completion-heading"')[1]
    merida = section.split(">Mérida</a>")[1].split("</tr>")[0]
    assert "Not completed" in merida and "The mayor missed Friday" in merida
    tulsa = section.split(">Tulsa</a>")[1].split("</tr>")[0]
    assert "Completed" in tulsa and "every requirement is met" in tulsa
    quito = client.get("/cities/quito/completion/").content.decode()
    assert "excused by program staff" in quito and "airline cancelled" in quito
    # The city's own people read it on their home page, in their language.
    client.force_login(User.objects.get(email="mayor.merida@example.org"))
    home = client.get("/cities/merida/").content.decode()
    assert "No completado" in home and "Certificado" not in home


def test_tulsas_certificate_prints_and_downloads_as_a_tagged_pdf(client):
    from strategy.tests.pdf_structure import pdf_structure

    client.force_login(User.objects.get(email="mayor.tulsa@example.org"))
    home = client.get("/cities/tulsa/").content.decode()
    assert "/cities/tulsa/certificate/" in home
    page = client.get("/cities/tulsa/certificate/").content.decode()
    for text in ("Certificate of completion", "Tulsa, United States", "Dana Whitfield", "Marcus Reyes",
                 "Priya Natarajan", "2024 cohort"):
        assert text in page, text
    response = client.get("/cities/tulsa/certificate.pdf")
    pdf = pdf_structure(response.content)
    assert pdf["has_tree"] and pdf["pdfua"] and pdf["lang"] == "en"
    assert pdf["title"].startswith("Certificate of completion: Tulsa")
    assert "Dana Whitfield" in pdf["text"] and "2024 cohort" in pdf["text"] and "Completion confirmed on" in pdf["text"]
    assert client.get("/cities/merida/certificate/").status_code == 404  # not hers, and not completed


def test_a_coach_reads_the_outcomes_of_their_own_cities_only(client):
    coach = User.objects.get(email="coach@example.org")
    with scopes_disabled():
        cities = City.objects.filter(cohort__slug="2024")
        theirs = set(cities.visible_to(coach).values_list("name", flat=True))
        others = set(cities.values_list("name", flat=True)) - theirs
    assert theirs and others
    client.force_login(coach)
    table = client.get("/cohorts/2024/").content.decode().split('id="completion-heading"')[1].split("</table>")[0]
    assert all(f">{name}</a>" in table for name in theirs)
    assert not [name for name in others if name in table]
