from accelerator.tests.access import (
    ANON,
    COACH,
    MAYOR,
    MEMBER,
    OTHER_COACH,
    OUTSIDER,
    STAFF,
    Page,
    city_page,
)

PAGES = [
    # Members are sent on to their city's home; everyone else gets their own home page.
    Page("home", {ANON: 302, OUTSIDER: 302, MEMBER: 302, MAYOR: 302, OTHER_COACH: 200, COACH: 200, STAFF: 200}),
    Page("profile", {ANON: 302, OUTSIDER: 200, MEMBER: 200, MAYOR: 200, OTHER_COACH: 200, COACH: 200, STAFF: 200}),
    Page("healthz", dict.fromkeys((ANON, OUTSIDER, MEMBER, MAYOR, OTHER_COACH, COACH, STAFF), 200)),
    # An unknown token is a 404 for everyone; real tokens are tested in test_invitations.
    # The switcher sends everyone back to the page they were on, signed in or not.
    Page("language_set", dict.fromkeys((ANON, OUTSIDER, MEMBER, MAYOR, OTHER_COACH, COACH, STAFF), 302),
         method="post", data=lambda world: {"language": "es", "next": "/me/"}),
    Page("invitation_accept", dict.fromkeys((ANON, OUTSIDER, MEMBER, MAYOR, OTHER_COACH, COACH, STAFF), 404),
         lambda world: {"token": "not-a-real-token"}),
]


PAGES += [
    Page("city_audit", city_page(member=403, coach=403), lambda world: {"city_slug": world.city.slug}),
    Page("city_audit_csv", city_page(member=403, coach=403), lambda world: {"city_slug": world.city.slug}),
]
