"""The audit log stores an action and its data; the registry renders it when it is read."""

import ast
import dataclasses
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.functional import lazy
from django_scopes import scope

from accelerator import audit_registry
from accelerator.audit import audit_record
from accelerator.audit_registry import UnknownAuditAction, audit_groups, audit_kind, registered_kinds
from accelerator.audit_views import AuditFilterForm
from accelerator.models import AuditEvent
from cohorts.models import Role
from cohorts.services.teams import membership_change_role
from cohorts.tests.factories import MembershipFactory

ROOT = Path(__file__).resolve().parents[2]


def _dynamic_actions():
    """The actions of the call sites that build their action name, keyed by that expression."""
    import coaching.views.exports  # noqa: F401 (defines its export views)
    import strategy.views.exports  # noqa: F401
    from cohorts.models import RoleInvitation
    from cohorts.views.exports import CohortExportView
    from strategy.services.review import TRANSITIONS

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {
        'f"export.{self.export_name}"': {f"export.{v.export_name}"
                                         for v in subclasses(CohortExportView) if v.export_name},
        'f"people.{kind}_granted"': {f"people.{k}_granted"
                                     for k in RoleInvitation.Kind.values if k != RoleInvitation.Kind.CITY},
        'f"strategy.{name}"': {f"strategy.{name}" for name in TRANSITIONS},
    }


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0].startswith(".") or "node_modules" in parts or path == Path(__file__).resolve():
            continue  # this module records unregistered actions on purpose
        yield path, path.read_text(encoding="utf-8")


def _actions_of(expression, dynamic):
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return {expression.value}
    if isinstance(expression, ast.IfExp):
        return _actions_of(expression.body, dynamic) | _actions_of(expression.orelse, dynamic)
    source = ast.unparse(expression).replace("'", '"')
    if source in dynamic:
        return dynamic[source]
    raise AssertionError(
        f"an audit action the test cannot read: {source}; list its possible values in _dynamic_actions"
    )


def test_every_call_site_records_a_registered_action():
    dynamic, used, calls, textual = _dynamic_actions(), {}, 0, 0
    for path, text in _sources():
        # audit_event( builds one event of a bulk write (audit_record_many): the same keywords.
        textual += len(re.findall(r"(?<!def )\baudit_(?:record|event)\(", text))
        for node in ast.walk(ast.parse(text)):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr",
                                                                                    None)) in ("audit_record",
                                                                                               "audit_event")):
                continue
            calls += 1
            [action] = [k.value for k in node.keywords if k.arg == "action"]
            for name in _actions_of(action, dynamic):
                used.setdefault(name, f"{path.relative_to(ROOT)}:{node.lineno}")
    assert calls == textual, "every audit_record( in the source is a call the scan read"
    assert calls >= 45
    unregistered = {name: where for name, where in used.items() if name not in registered_kinds()}
    assert unregistered == {}
    # The literal form, as a reader would grep for it.
    literals = {m for _path, text in _sources() for m in re.findall(r'\baction="([a-z_-]+\.[a-z_-]+)"', text)
                if "audit_record" in text or "audit_event" in text}
    assert literals and literals <= set(registered_kinds())


def test_an_unregistered_action_is_refused_and_nothing_is_written(world):
    with pytest.raises(UnknownAuditAction, match=r"team\.renamed"):
        audit_record(city=world.city, actor=world.users["staff"], action="team.renamed", data={})
    with pytest.raises(ValueError, match="does not fit"):
        audit_record(city=world.city, actor=world.users["staff"], action="city.created", data={"name": "Alpha"})
    assert not AuditEvent.objects.exists()


def test_the_registry_never_imports_an_app():
    tree = ast.parse((ROOT / "accelerator" / "audit_registry.py").read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert all(name.split(".")[0] in {"dataclasses", "types", "django"} for name in imported), imported


@pytest.fixture
def fake_spanish(monkeypatch):
    """A stand-in Spanish catalog (the project has none yet): every message read while Spanish is
    active comes back marked, so the test sees which language gettext ran in, and when."""
    real = translation._trans.gettext

    def gettext(message):
        return f"[es]{message}" if translation.get_language() == "es" else real(message)

    monkeypatch.setattr(translation._trans, "gettext", gettext)


def test_an_event_written_in_spanish_reads_in_the_readers_language(world, fake_spanish):
    membership = MembershipFactory(city=world.city, user__full_name="Rosa Díaz", role=Role.POLICY)
    with scope(city=world.city):
        with translation.override("es"):
            membership_change_role(membership=membership, role=Role.CHIEF_DATA_OFFICER, actor=world.users["staff"])
        event = AuditEvent.objects.get(action="team.role_changed")
    # Stored as values and names, never as the actor's words.
    assert (event.data["before_role"], event.data["role"], event.data["person_name"]) == ("policy", "cdo", "Rosa Díaz")
    assert "[es]" not in event.summary
    with translation.override("en"):
        assert event.text == "Rosa Díaz: Chief policy staffer → Chief data officer"
    with translation.override("es"):
        assert event.text == "[es]Rosa Díaz: [es]Chief policy staffer → [es]Chief data officer"


def test_the_message_is_evaluated_when_read_in_the_active_language(world, monkeypatch):
    seen = []

    def template():
        seen.append(translation.get_language())
        return "%(city_name)s joined"

    kind = audit_kind("city.created")
    monkeypatch.setitem(audit_registry._kinds, "city.created", dataclasses.replace(kind, message=lazy(template, str)()))
    with translation.override("es"):
        event = audit_record(city=world.city, actor=world.users["staff"], action="city.created",
                             data={"city_name": "Alpha"})
    assert seen == ["en"]  # the English summary written for the admin
    seen.clear()
    with scope(city=world.city):
        event = AuditEvent.objects.get(pk=event.pk)
    with translation.override("es"):
        assert event.text == "Alpha joined"
    with translation.override("pt-br"):
        assert event.text == "Alpha joined"
    assert seen == ["es", "pt-br"]


def test_every_registered_group_is_a_filter_choice_with_its_label(fake_spanish):
    with translation.override("es"):
        choices = dict(AuditFilterForm().fields["group"].choices)
    assert {group.key for group in audit_groups()} <= set(choices)
    assert {"session", "attendance", "cohort", "team", "convening", "strategy", "export"} <= set(choices)
    assert choices["session"] == "[es]Sessions"


def _record(world, action, **data):
    return audit_record(city=world.city, actor=world.users["staff"], action=action, data=data)


@pytest.mark.parametrize("group,shown", [
    ("session", ["“Data walk” cancelled"]),
    ("attendance", ["Attendance of “Data walk”: 3 changes", "Rosa missed 3 sessions in a row"]),
    ("cohort", ["Cohort Spring 2026 created"]),
])
def test_filtering_by_a_group_shows_exactly_its_events(client, world, group, shown):
    _record(world, "session.cancelled", session="s1", title="Data walk")
    _record(world, "session.attendance_marked", session="s1", title="Data walk", count=3)
    _record(world, "attendance.absence_warning", person="r@example.org", person_name="Rosa", count=3, sessions=[])
    _record(world, "cohort.created", cohort_name="Spring 2026")
    _record(world, "city.created", city_name="Alpha City")
    client.force_login(world.users["staff"])
    response = client.get(reverse("city_audit", kwargs={"city_slug": world.city.slug}), {"group": group})
    assert response.status_code == 200
    assert sorted(e.text for e in response.context["events"]) == sorted(shown)
    assert "not understood" not in response.content.decode()


def test_legacy_rows_show_the_summary_they_were_written_with(client, world):
    AuditEvent.objects.create(city=world.city, cohort=world.cohort, actor_label="Ana", action="team.renamed",
                              summary="Legacy: the team was renamed")
    AuditEvent.objects.create(city=world.city, cohort=world.cohort, actor_label="Ana", action="team.member_added",
                              summary="Legacy: Rosa joined the team", data={"user": "rosa@example.org", "role": "cdo"})
    AuditEvent.objects.create(city=world.city, cohort=world.cohort, actor_label="Ana", action="city.status_changed",
                              summary="Legacy: status changed", data=["not", "a", "mapping"])
    client.force_login(world.users["staff"])
    response = client.get(reverse("city_audit", kwargs={"city_slug": world.city.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Legacy: the team was renamed" in html and "Legacy: Rosa joined the team" in html
    assert "Legacy: status changed" in html
    csv = b"".join(client.get(reverse("city_audit_csv", kwargs={"city_slug": world.city.slug})).streaming_content)
    assert "Legacy: the team was renamed" in csv.decode("utf-8-sig")


def test_a_choice_value_reads_as_its_label(world):
    event = _record(world, "city.status_changed", before="active", after="at_risk")
    with translation.override("en"):
        assert event.text == "Participation status: Active → At risk"
    assert event.data == {"before": "active", "after": "at_risk"}


def test_the_trail_dates_events_as_other_pages_do_and_shows_why_only_when_an_event_says(client, world):
    _record(world, "cohort.created", cohort_name="Spring 2026")
    client.force_login(world.users["staff"])
    address = reverse("city_audit", kwargs={"city_slug": world.city.slug})
    html = client.get(address).content.decode()
    assert ">Why<" not in html
    shown = html.split("<time")[1].split(">", 1)[1].split("</time>")[0]
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}", shown), shown  # "1 Dec 2026, 17:07"
    audit_record(city=world.city, actor=world.users["staff"], action="cohort.created",
                 data={"cohort_name": "Autumn 2026"}, reason="Moved to a new term")
    html = client.get(address).content.decode()
    assert ">Why<" in html and "Moved to a new term" in html


def test_the_trail_pages_fifty_events_at_a_time_with_the_count_and_filters_kept(client, world):
    for n in range(53):
        _record(world, "cohort.created", cohort_name=f"Cohort {n:02d}")
    client.force_login(world.users["staff"])
    address = reverse("city_audit", kwargs={"city_slug": world.city.slug})
    first = client.get(address).content.decode()
    assert "53 events" in first and "1 / 2" in first and "Cohort 52" in first and "Cohort 02" not in first
    second = client.get(address + "?group=cohort&page=2").content.decode()
    assert "53 events" in second and "2 / 2" in second and "Cohort 02" in second and "Cohort 03" not in second
    assert 'href="?group=cohort&amp;page=1"' in second
    assert "2 / 2" in client.get(address + "?page=9").content.decode()  # past the end: the last page


def test_the_kept_table_shows_each_new_event_and_follows_the_filters_and_the_page(client, world):
    client.force_login(world.users["staff"])
    url = reverse("city_audit", kwargs={"city_slug": world.city.slug})
    _record(world, "session.cancelled", session="s1", title="Data walk")
    assert "“Data walk” cancelled" in client.get(url).content.decode()
    _record(world, "cohort.created", cohort_name="Spring 2026")
    html = client.get(url).content.decode()
    assert "Cohort Spring 2026 created" in html and "“Data walk” cancelled" in html
    html = client.get(url, {"group": "session"}).content.decode()
    assert "“Data walk” cancelled" in html and "Cohort Spring 2026 created" not in html
    for n in range(50):
        _record(world, "session.cancelled", session=f"s{n + 2}", title=f"Walk {n}")
    first, second = (client.get(url, {"page": page}).content.decode() for page in (1, 2))
    assert "Walk 49" in first and "Walk 49" not in second
    assert "Cohort Spring 2026 created" in second and "Cohort Spring 2026 created" not in first
