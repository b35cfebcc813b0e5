from accelerator.tests.access import Page, city_page, staff_page
from cohorts.tests.pages import city, cohort


def completed_city(world):
    """City A with a confirmed completion, so its certificate exists."""
    from completion.models import CityOutcome

    from .factories import CityOutcomeFactory

    # Idempotent: some tests open every page of the matrix more than once in the same world.
    if not CityOutcome.objects.filter(city=world.city).exists():
        CityOutcomeFactory(city=world.city, confirmed_by=world.users["staff"])
    return city(world)


PAGES = [
    Page("completion:cohort", staff_page(), cohort),
    Page("completion:city", city_page(), city),
    Page("completion:certificate", city_page(), completed_city),
    Page("completion:certificate_pdf", city_page(), completed_city),
]
