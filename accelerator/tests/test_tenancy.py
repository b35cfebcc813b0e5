import pytest
from django_scopes import ScopeError, scope, scopes_disabled

from cohorts.models import Membership
from cohorts.tenancy import Relation, city_access, resolve_city

pytestmark = pytest.mark.django_db


def test_a_query_on_city_data_without_a_scope_raises(world):
    # Tests run with scopes on, as requests do: no fixture or autouse wrapper disables them.
    with pytest.raises(ScopeError):
        list(Membership.objects.all())
    with pytest.raises(ScopeError):
        Membership.objects.filter(city=world.city).count()  # even naming the city is not a scope
    with scope(city=world.city):
        assert {m.city_id for m in Membership.objects.all()} == {world.city.pk}
        # Inside city A's scope, city B's rows stay out of reach even when asked for by name.
        assert not Membership.objects.filter(city=world.other_city).exists()
    with scopes_disabled():
        assert {m.city_id for m in Membership.objects.all()} == {world.city.pk, world.other_city.pk}


def test_relations(world):
    assert city_access(world.users["staff"], world.city).relation == Relation.STAFF
    assert city_access(world.users["coach"], world.city).relation == Relation.COACH
    assert city_access(world.users["mayor"], world.city).is_mayor
    assert city_access(world.users["member"], world.city).relation == Relation.MEMBER
    assert not city_access(world.users["member"], world.city).is_mayor
    assert city_access(world.users["other_coach"], world.city) is None
    assert city_access(world.users["outsider"], world.city) is None


def test_unknown_city_and_foreign_city_look_the_same(client, world):
    client.force_login(world.users["outsider"])
    missing = client.get("/cities/no-such-city/")
    foreign = client.get(f"/cities/{world.city.slug}/")
    assert missing.status_code == foreign.status_code == 404
    assert missing.content == foreign.content


def test_resolver_raises_404_for_no_relation(world):
    from django.http import Http404

    with pytest.raises(Http404):
        resolve_city(world.users["other_coach"], world.city.slug)


def test_city_pages_never_show_another_citys_people(client, world):
    for role in ["staff", "coach", "mayor", "member"]:
        client.force_login(world.users[role])
        for path in [f"/cities/{world.city.slug}/", f"/cities/{world.city.slug}/team/"]:
            html = client.get(path).content.decode()
            assert world.users["outsider"].full_name not in html, (role, path)
            assert world.mayor_b.full_name not in html, (role, path)
