from accelerator.tests.access import Page, city_page, staff_page


def convening(world):
    from .factories import make_convening

    return {"code": make_convening(world.cohort).code}


def convening_city(world):
    return {**convening(world), "city_slug": world.city.slug}


PAGES = [
    Page("convening:desk", staff_page(), convening),
    Page("convening:board", staff_page(), convening),
    Page("convening:codes", staff_page(), convening),
    Page("convening:eligibility", city_page(member=403, coach=403), convening_city),
]
