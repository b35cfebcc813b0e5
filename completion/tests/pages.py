from accelerator.tests.access import Page, city_page, staff_page
from cohorts.tests.pages import city, cohort


def completed_city(world):
    """City A with a confirmed completion, so its certificate exists."""
    from .factories import CityOutcomeFactory

    CityOutcomeFactory(city=world.city, confirmed_by=world.users["staff"])
    return city(world)


PAGES = [
    Page("completion:cohort", staff_page(), cohort),
    Page("completion:city", city_page(), city),
    Page("completion:certificate", city_page(), completed_city),
    Page("completion:certificate_pdf", city_page(), completed_city),
]
