"""The plan page, print view and Word export: same content, constant queries."""

import io

import pytest
from django.urls import reverse
from django_scopes import scope
from docx import Document

from accelerator.tests.queries import assert_num_page_queries

from ..models import Goal
from ..selectors import strategy_for
from .factories import build_plan

pytestmark = pytest.mark.django_db


def url(world, name, part=None):
    path = reverse(f"strategy:{name}", kwargs={"city_slug": world.city.slug})
    return f"{path}?part={part}" if part else path


def test_an_empty_plan_shows_prompts_examples_and_what_is_missing(client, world):
    client.force_login(world.users["member"])
    page = client.get(url(world, "plan")).content.decode()
    assert "Where the city wants its use of data to be in three years" in page
    assert "Three-year vision is empty." in page
    assert 'aria-valuenow="0"' in page
    governance = client.get(url(world, "plan", "governance")).content.decode()
    assert "Set up a cross-department data governance group" in governance  # an example goal


def test_the_full_plan_page_has_the_timeline_and_a_complete_meter(client, world):
    build_plan(world.city, goals=2, actions=2, measures=2)
    client.force_login(world.users["coach"])
    page = client.get(url(world, "plan", "timeline")).content.decode()
    assert 'aria-valuenow="100"' in page
    assert "Timeline of actions by quarter</title>" in page and "Y3 Q4" in page
    legends = [chunk.split("</ul>")[0] for chunk in page.split('<ul class="legend"')[1:]]
    assert [legend.count('class="legend-swatch') for legend in legends] == [4, 2]  # timeline, maturity
    assert all(status in legends[0] for status in ("Not started", "On track", "At risk", "Done"))
    governance = client.get(url(world, "plan", "governance")).content.decode()
    assert "governance goal 2 action 2" in governance
    assert 'href="/cities/alpha/strategy/edit/' not in page + governance  # coaches see no edit links


def test_plan_queries_do_not_grow_with_the_plan(client, world):
    build_plan(world.city, goals=1, actions=1, measures=1)
    client.force_login(world.users["member"])

    def grow():
        build_plan(world.city, goals=2, actions=3, measures=2, complete=False)

    assert_num_page_queries(client, url(world, "plan"), expected=10, grow=grow)


def test_print_and_export_queries_do_not_grow(client, world):
    build_plan(world.city)
    client.force_login(world.users["staff"])
    assert_num_page_queries(client, url(world, "print"), expected=9,
                            grow=lambda: build_plan(world.city, goals=2, actions=2, complete=False))
    assert_num_page_queries(client, url(world, "export_docx"), expected=9,
                            grow=lambda: build_plan(world.city, goals=2, complete=False))


def test_print_view_prints_the_whole_plan_without_controls(client, world):
    build_plan(world.city, goals=1, actions=2)
    client.force_login(world.users["member"])
    page = client.get(url(world, "print")).content.decode()
    assert page.count("<h1") == 1 and "<svg" in page and "strategy-print.css" in page
    assert "/strategy/edit/" not in page
    assert "quality goal 1 action 2" in page


def test_the_word_document_holds_the_same_content_as_the_page(client, world):
    with scope(city=world.city):
        build_plan(world.city, goals=1, actions=2, measures=2)
        client.force_login(world.users["member"])
        response = client.get(url(world, "export_docx"))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        document = Document(io.BytesIO(response.content))
        text = "\n".join(p.text for p in document.paragraphs)
        cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
        assert "Every resident can see how the city is doing" in text
        assert "Faster permit approvals" in text
        assert "use goal 1 action 2" in cells and "20.5" in cells and "Y1 Q1" in cells
        assert "Timeline of actions by quarter" in text
        for goal in Goal.objects.filter(city=world.city).select_related("component"):
            page = client.get(url(world, "plan", goal.component.kind)).content.decode()
            assert goal.title in page and goal.title in text


def test_control_characters_typed_into_the_plan_do_not_break_the_word_export(client, world):
    with scope(city=world.city):
        build_plan(world.city, goals=1, actions=1, measures=1)
        section = world.city.strategy_sections.get(key="vision")
        client.force_login(world.users["member"])
        edit = reverse("strategy:edit", kwargs={"city_slug": world.city.slug, "kind": "section", "code": section.code})
        assert client.post(edit, {"version": section.version, "text": "Open\x01 data\x0b for all"}).status_code == 302
        response = client.get(url(world, "export_docx"))
        assert response.status_code == 200
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        assert "Open data for all" in text


def test_the_cohort_page_shows_each_citys_strategy_in_constant_queries(client, world):
    with scope(city=world.city):
        build_plan(world.city)
        client.force_login(world.users["staff"])
        cohort_url = reverse("dashboards:cohort", kwargs={"cohort_slug": world.cohort.slug})
        page = client.get(cohort_url).content.decode()
        assert "Draft" in page and "100%" in page

        def grow():
            from cohorts.tests.factories import CityFactory
            from dashboards.read_model import rows_refresh

            city = strategy_for(CityFactory(cohort=world.cohort)).city
            rows_refresh([city.pk])  # as the refresh queued by the city's creation would

        assert_num_page_queries(client, cohort_url, expected=8, grow=grow)


def test_the_city_home_shows_strategy_progress(client, world):
    build_plan(world.city)
    client.force_login(world.users["member"])
    page = client.get(reverse("dashboards:city_home", kwargs={"city_slug": world.city.slug})).content.decode()
    assert "Data strategy" in page and "100%" in page


def test_history_review_and_comment_pages_take_constant_queries(client, world):
    with scope(city=world.city):
        from ..services.comments import thread_reply, thread_start
        from ..services.editing import unit_save
        from .factories import section

        vision = section(world.city)
        client.force_login(world.users["member"])
        counter = iter(range(2, 100))

        def grow():
            unit = world.city.strategy_sections.get(key="vision")
            unit_save(city=world.city, actor=world.users["member"], unit=unit, values={"text": f"v{next(counter)}"},
                      base_version=unit.version)
            thread = thread_start(city=world.city, actor=world.users["coach"], strategy=vision.strategy, part="vision",
                                  body="?")
            thread_reply(city=world.city, actor=world.users["member"], thread=thread, body="!")

        grow()
        for name, expected in (("history", 5), ("review", 8), ("comments", 5)):
            assert_num_page_queries(client, url(world, name), expected=expected, grow=grow)


def test_the_word_document_has_the_maturity_table(client, world):
    build_plan(world.city)
    client.force_login(world.users["member"])
    client.post(reverse("strategy:maturity", kwargs={"city_slug": world.city.slug, "phase": "baseline"}),
                {"use_level": 2})
    client.post(reverse("strategy:maturity", kwargs={"city_slug": world.city.slug, "phase": "end"}), {"use_level": 4})
    document = Document(io.BytesIO(client.get(url(world, "export_docx")).content))
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["Data use", "2", "4", "+2"] in rows


def test_what_is_missing_shows_next_to_the_item(client, world):
    with scope(city=world.city):
        from ..models import Action

        build_plan(world.city)
        action = Action.objects.filter(city=world.city, goal__component__kind="use").first()
        Action.objects.filter(pk=action.pk).update(owner="", owner_member=None)
        client.force_login(world.users["member"])
        page = client.get(url(world, "plan", "use")).content.decode()
        row = page.split(f'id="action-{action.code}"')[1].split("</th>")[0]
        assert "needs an owner" in row
        assert "1 thing to fill in before submitting" in page


def test_open_comments_sit_beside_their_part_of_the_plan(client, world):
    from strategy.selectors import strategy_for
    from strategy.services.comments import thread_reply, thread_resolve, thread_start

    coach, member = world.users["coach"], world.users["member"]
    with scope(city=world.city):
        strategy = strategy_for(world.city)
        open_one = thread_start(city=world.city, actor=coach, strategy=strategy, part="governance", notify=False,
                                body="Who chairs the governance group?")
        thread_reply(city=world.city, actor=member, thread=open_one, body="The city manager.")
        closed = thread_start(city=world.city, actor=coach, strategy=strategy, part="quality", notify=False,
                              body="Settled already.")
        thread_resolve(city=world.city, actor=member, thread=closed)
    client.force_login(member)
    html = client.get(url(world, "plan", "governance")).content.decode()
    assert "Who chairs the governance group?" in html and f"#thread-{open_one.code}" in html
    assert "1 answer" in html
    assert "Settled already." not in html  # resolved threads stay on the comments page


def test_a_revision_that_changes_the_owner_names_both_owners(client, world):
    from cohorts.models import Membership

    from ..models import Action, Revision
    from ..services.editing import unit_save

    build_plan(world.city)
    with scope(city=world.city):
        mayor = Membership.objects.get(city=world.city, user=world.users["mayor"])
        member = Membership.objects.get(city=world.city, user=world.users["member"])
        action = Action.objects.filter(city=world.city).first()
        Action.objects.filter(pk=action.pk).update(owner_member=mayor)
        action.refresh_from_db()
        unit_save(city=world.city, actor=world.users["member"], unit=action,
                  values={**action.values(), "owner_member": member}, base_version=action.version)
        revision = Revision.objects.filter(city=world.city, unit_code=action.code).latest("created_at")
    client.force_login(world.users["member"])
    page = client.get(reverse("strategy:revision", kwargs={"city_slug": world.city.slug, "code": revision.code}))
    text = page.content.decode()
    diff = text.split("Owner on the team")[1].split("</section>")[0]  # a word-by-word diff of the two names
    names = world.users["mayor"].full_name.split() + world.users["member"].full_name.split()
    assert all(word in diff for word in names)
    assert "Restore this version" not in text  # the action is as this change left it
