"""The plan page one part at a time, and the whole-plan documents (print view, Word, PDF) served
from a cache whose key changes with every change to what they show."""

import io

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from docx import Document

from ..models import Action, Goal
from ..services.sharing import unit_share
from .factories import build_plan, section

pytestmark = pytest.mark.django_db


def url(world, name, part=None):
    path = reverse(f"strategy:{name}", kwargs={"city_slug": world.city.slug})
    return f"{path}?part={part}" if part else path


def docx_text(response):
    document = Document(io.BytesIO(response.content))
    return "\n".join([p.text for p in document.paragraphs]
                     + [cell.text for table in document.tables for row in table.rows for cell in row.cells])


def test_the_plan_page_shows_one_part_and_sums_up_the_others(client, world):
    build_plan(world.city, goals=2, actions=3, measures=2)
    client.force_login(world.users["member"])
    page = client.get(url(world, "plan")).content.decode()
    assert "Every resident can see how the city is doing" in page  # the overview: the vision
    assert "governance goal 1 action 1" not in page and "quality goal 1" not in page
    assert "Two analysts in a shared service" in page  # and the other written parts
    assert 'href="?part=governance#part-shown"' in page and 'href="?part=overview#engagement-heading"' in page
    assert "2 goals, 6 actions, 12 measures" in page  # each component summed up in the list of parts
    governance = client.get(url(world, "plan", "governance")).content.decode()
    assert "governance goal 2 action 3" in governance and "quality goal 1" not in governance
    assert "Every resident can see how the city is doing" not in governance
    assert 'href="?part=governance#part-shown" aria-current="page"' in governance
    timeline = client.get(url(world, "plan", "timeline")).content.decode()
    assert "quality goal 2 action 3" in timeline and "<svg" in timeline
    # An unknown part (or a written one, as links to a missing text name it) opens the overview.
    assert "Every resident can see" in client.get(url(world, "plan", "vision")).content.decode()
    assert "Every resident can see" in client.get(url(world, "plan", "no-such-part")).content.decode()


def test_the_plan_page_stays_the_same_size_as_the_plan_grows(client, world):
    build_plan(world.city, goals=1, actions=1, measures=1)
    client.force_login(world.users["member"])
    small = len(client.get(url(world, "plan")).content)
    build_plan(world.city, goals=5, actions=5, measures=2)
    large = len(client.get(url(world, "plan")).content)
    assert large < small * 1.1


def test_an_edit_changes_the_page_the_print_view_and_the_word_document(client, world):
    build_plan(world.city)
    client.force_login(world.users["member"])
    for name in ("plan", "print", "export_docx"):  # cached now
        assert client.get(url(world, name)).status_code == 200
    with scope(city=world.city):
        vision = section(world.city)
    edit = reverse("strategy:edit", kwargs={"city_slug": world.city.slug, "kind": "section", "code": vision.code})
    assert client.post(edit, {"text": "A city that answers with data.", "version": vision.version}).status_code == 302
    assert "A city that answers with data." in client.get(url(world, "plan")).content.decode()
    assert "A city that answers with data." in client.get(url(world, "print")).content.decode()
    assert "A city that answers with data." in docx_text(client.get(url(world, "export_docx")))


def test_sharing_a_unit_shows_at_once(client, world):
    build_plan(world.city)
    client.force_login(world.users["member"])
    assert "Stop sharing" not in client.get(url(world, "plan", "use")).content.decode()
    with scope(city=world.city):
        action = Action.objects.get(city=world.city, goal__component__kind="use")
        unit_share(city=world.city, actor=world.users["member"], kind="action", code=action.code, shared=True)
    assert "Stop sharing" in client.get(url(world, "plan", "use")).content.decode()


def test_a_renamed_owner_and_a_new_rating_show_in_the_documents(client, world):
    from cohorts.models import Membership

    with scopes_disabled():
        owner = Membership.objects.get(city=world.city, user=world.users["member"])
        build_plan(world.city, owner=owner)
    client.force_login(world.users["member"])
    print_url = url(world, "print")
    name = world.users["member"].full_name
    assert name in client.get(print_url).content.decode()
    assert name in docx_text(client.get(url(world, "export_docx")))
    world.users["member"].full_name = "Renamed Person"
    world.users["member"].save(update_fields=["full_name"])
    assert "Renamed Person" in client.get(print_url).content.decode()
    assert "Renamed Person" in docx_text(client.get(url(world, "export_docx")))
    client.force_login(world.users["mayor"])
    assert client.post(reverse("strategy:maturity", kwargs={"city_slug": world.city.slug, "phase": "baseline"}),
                       {"use_level": 3}).status_code == 302
    rows = [[c.text for c in row.cells] for table in Document(io.BytesIO(
        client.get(url(world, "export_docx")).content)).tables for row in table.rows]
    assert ["Data use", "3", "—", "—"] in rows or any(r[:2] == ["Data use", "3"] for r in rows)


def test_documents_are_kept_per_language(client, world):
    build_plan(world.city)
    client.force_login(world.users["member"])
    english = client.get(url(world, "print")).content.decode()
    world.users["member"].language = "es"
    world.users["member"].save(update_fields=["language"])
    spanish = client.get(url(world, "print")).content.decode()
    assert english != spanish and 'lang="es"' in spanish


def test_the_actions_export_writes_labels_and_owners(client, world):
    from cohorts.models import Membership

    with scopes_disabled():
        owner = Membership.objects.get(city=world.city, user=world.users["member"])
        build_plan(world.city, owner=owner)
        goal = Goal.objects.filter(city=world.city, component__kind="quality").first()
        Action.objects.create(city=world.city, strategy=goal.strategy, goal=goal, what="No measure yet",
                              owner="The clerk", position=9)
    client.force_login(world.users["staff"])
    response = client.get(reverse("strategy:export_actions", kwargs={"cohort_slug": world.cohort.slug}))
    text = b"".join(response.streaming_content).decode()
    assert f"{world.users['member'].full_name}" in text and "Data quality" in text
    assert "Y1 Q1" in text and "On track" in text and "20.5" in text
    line = next(line for line in text.splitlines() if "No measure yet" in line)
    assert "The clerk" in line and line.rstrip("\r").endswith(",,,,,")


def test_the_actions_export_quotes_what_needs_it_and_holds_only_the_coachs_cities(client, world):
    import csv

    build_plan(world.city, goals=1, actions=2, measures=2)
    build_plan(world.other_city)
    with scopes_disabled():
        action = Action.objects.filter(city=world.city).first()
        action.what, action.resources = 'Publish "open" data, weekly', "Two\nanalysts"
        action.save(update_fields=["what", "resources"])
        action.measures.update(name="=1+1", unit="days, calendar")
    export = reverse("strategy:export_actions", kwargs={"cohort_slug": world.cohort.slug})
    client.force_login(world.users["staff"])
    text = b"".join(client.get(export).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    mine = [row for row in rows if row[3] == 'Publish "open" data, weekly']
    assert len(mine) == 2 and all(row[8] == "Two\nanalysts" and row[9] == "'=1+1" and row[12] == "days, calendar"
                                  for row in mine)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    assert text == buffer.getvalue()  # written exactly as the CSV writer writes
    assert {row[0] for row in rows[1:]} == {world.city.name, world.other_city.name}
    client.force_login(world.users["coach"])  # coaches the first city only
    rows = list(csv.reader(io.StringIO(b"".join(client.get(export).streaming_content).decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == {world.city.name}


def test_the_cached_part_carries_each_viewers_own_csrf_token(world):
    import re

    from django.test import Client

    build_plan(world.city)
    for _ in range(2):  # the second viewer gets the fragment from the cache
        client = Client(enforce_csrf_checks=True)
        client.force_login(world.users["member"])
        page = client.get(url(world, "plan", "use")).content.decode()
        form = page.split('class="share-form')[1].split("</form>")[0]
        action = re.search(r'action="([^"]+)"', page.split('class="share-form')[0].rsplit("<form", 1)[1]).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        response = client.post(action, {"csrfmiddlewaretoken": token, "shared": "1"})
        assert response.status_code == 302


def test_a_new_comment_shows_beside_its_part_at_once(client, world):
    from ..selectors import strategy_for
    from ..services.comments import thread_start

    build_plan(world.city)
    client.force_login(world.users["member"])
    assert "Who keeps the inventory?" not in client.get(url(world, "plan", "quality")).content.decode()
    with scope(city=world.city):
        thread_start(city=world.city, actor=world.users["coach"], strategy=strategy_for(world.city), part="quality",
                     body="Who keeps the inventory?", notify=False)
    assert "Who keeps the inventory?" in client.get(url(world, "plan", "quality")).content.decode()


def test_the_checklist_lists_a_few_places_per_part_and_links_to_the_rest(client, world):
    build_plan(world.city, goals=2, actions=5, measures=0)  # ten actions per component without a measure
    client.force_login(world.users["member"])
    page = client.get(url(world, "plan")).content.decode()
    checklist = page.split('id="checklist-governance"')[1].split("</div>")[0]
    assert checklist.count("has no measure") == 5
    assert 'href="?part=governance#part-shown">and 5 more in this part</a>' in checklist
    governance = client.get(url(world, "plan", "governance")).content.decode()
    assert governance.split('id="part-shown"')[1].count("has no measure.</") >= 10


def test_the_plan_page_follows_renames_ratings_replies_and_resolutions(client, world):
    """The page's kept content is keyed on each thing it shows besides the plan: every one changes it."""
    from cohorts.models import Membership

    from ..selectors import strategy_for
    from ..services.comments import thread_reply, thread_resolve, thread_start

    with scopes_disabled():
        owner = Membership.objects.get(city=world.city, user=world.users["member"])
        build_plan(world.city, owner=owner)
    client.force_login(world.users["member"])

    def maturity():
        return client.get(url(world, "plan")).content.decode().split('id="maturity"')[1].split("</section>")[0]

    assert world.users["member"].full_name in client.get(url(world, "plan", "governance")).content.decode()
    world.users["member"].full_name = "Renamed Person"
    world.users["member"].save(update_fields=["full_name"])
    assert "Renamed Person" in client.get(url(world, "plan", "governance")).content.decode()
    with scope(city=world.city):
        vision = section(world.city)
    edit = reverse("strategy:edit", kwargs={"city_slug": world.city.slug, "kind": "section", "code": vision.code})
    assert client.post(edit, {"text": "A city that answers.", "version": vision.version}).status_code == 302
    assert "by Renamed Person" in client.get(url(world, "plan")).content.decode()  # who changed the plan last
    world.users["member"].full_name = "Renamed Again"
    world.users["member"].save(update_fields=["full_name"])
    assert "by Renamed Again" in client.get(url(world, "plan")).content.decode()

    rate = reverse("strategy:maturity", kwargs={"city_slug": world.city.slug, "phase": "baseline"})
    before = maturity()
    client.force_login(world.users["mayor"])
    assert client.post(rate, {"use_level": 2}).status_code == 302
    client.force_login(world.users["member"])
    rated = maturity()
    assert rated != before
    client.force_login(world.users["mayor"])
    assert client.post(rate, {"use_level": 4}).status_code == 302  # the same rating, changed in place
    client.force_login(world.users["member"])
    assert maturity() != rated

    with scope(city=world.city):
        thread = thread_start(city=world.city, actor=world.users["coach"], strategy=strategy_for(world.city),
                              part="quality", body="Who keeps the inventory?", notify=False)
    quality = client.get(url(world, "plan", "quality")).content.decode()
    assert "Who keeps the inventory?" in quality and "1 answer" not in quality
    with scope(city=world.city):
        thread_reply(city=world.city, actor=world.users["member"], thread=thread, body="The data office does.")
    assert "1 answer" in client.get(url(world, "plan", "quality")).content.decode()
    with scope(city=world.city):
        thread_resolve(city=world.city, actor=world.users["member"], thread=thread)
    assert "Who keeps the inventory?" not in client.get(url(world, "plan", "quality")).content.decode()
