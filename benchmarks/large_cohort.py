"""A large cohort for benchmarks: 100 cities × 5 people (a mayor and four senior-team members).

Each bench module may define `extend(world)` to add its app's rows (sessions, check-ins, plans);
all of them run before any benchmark, so every benchmark sees the whole program."""

from types import SimpleNamespace

from django.contrib.auth import get_user_model

from cohorts.models import City, CoachAssignment, Cohort, Membership, Role

CITIES = 100
COACHES = 10
TEAM_ROLES = [Role.MAYOR, Role.CITY_MANAGER, Role.CHIEF_DATA_OFFICER, Role.EQUITY_LEAD, Role.COMMUNICATIONS]


def build(cities=CITIES):
    import datetime

    User = get_user_model()
    cohort = Cohort.objects.create(
        name="Benchmark cohort", slug="bench", start_date=datetime.date(2026, 10, 1),
        end_date=datetime.date(2027, 3, 31)
    )
    staff = User.objects.create_user(email="bench-staff@example.org", full_name="Bench Staff", is_staff=True)
    nobody = User.objects.create_user(email="bench-nobody@example.org", full_name="No Role Yet")
    coaches = User.objects.bulk_create(
        [User(email=f"bench-coach{i}@example.org", full_name=f"Coach {i}", is_coach=True) for i in range(COACHES)]
    )
    city_rows = City.objects.bulk_create(
        [City(cohort=cohort, name=f"City {i:03d}", slug=f"bench-city-{i}", country="Country",
              time_zone="America/Chicago") for i in range(cities)]
    )
    people = User.objects.bulk_create(
        [User(email=f"p{c}-{r}@example.org", full_name=f"Person {c}-{r}", time_zone="America/Bogota")
         for c in range(cities) for r in range(len(TEAM_ROLES))]
    )
    Membership.objects.bulk_create(
        [Membership(city=city_rows[c], cohort=cohort, user=people[c * len(TEAM_ROLES) + r], role=role)
         for c in range(cities) for r, role in enumerate(TEAM_ROLES)]
    )
    CoachAssignment.objects.bulk_create(
        [CoachAssignment(city=city, coach=coaches[i % COACHES]) for i, city in enumerate(city_rows)]
    )
    return SimpleNamespace(
        cohort=cohort, staff=staff, nobody=nobody, coaches=coaches, cities=city_rows, people=people,
        summary=f"{cities} cities × {len(TEAM_ROLES)} people",
    )
