from accelerator.tests.access import ANON, COACH, MAYOR, MEMBER, OTHER_COACH, OUTSIDER, STAFF, Page
from cohorts.tests.pages import cohort

# The impact report covers every city of a cohort: to anyone but program staff it does not exist.
IMPACT = {ANON: 302, OUTSIDER: 404, MEMBER: 404, MAYOR: 404, OTHER_COACH: 404, COACH: 404, STAFF: 200}

PAGES = [
    Page("dashboards:impact", IMPACT, cohort),
    Page("dashboards:impact_pdf", IMPACT, cohort),
    Page("dashboards:impact_csv", IMPACT, cohort),
]
