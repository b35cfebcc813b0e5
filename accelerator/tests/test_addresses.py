from django.urls import reverse

from accelerator.addresses import page_url


def test_page_url_gives_what_reverse_gives_and_nothing_for_no_such_page():
    for name in ["home", "profile", "cohorts:list", "agenda:my_sessions", "admin:index"]:
        assert page_url(name) == page_url(name) == reverse(name)
    for name in ["dashboards:city_home", "cohorts:team", "coaching:log", "city_audit"]:
        for slug in ["alpha", "bogota-2", "city_9"]:
            assert page_url(name, slug) == reverse(name, kwargs={"city_slug": slug})
    assert page_url("no-such-page") == page_url("no-such-page", "alpha") == ""
