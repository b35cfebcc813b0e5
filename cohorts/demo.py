"""Demo cohorts: the 2024 cohort (convening 26–28 June 2024) and a cohort running now.

Cities and their time zones are real; every person is fictional. Keyed by slug and email so
loading twice changes nothing."""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from cohorts.models import City, CoachAssignment, Cohort, Membership, Role

DEMO_PASSWORD = "accelerator-demo"

# (slug, name, country, time zone, language, mayor, senior team [(role, name)])
CITIES_2024 = [
    ("tulsa", "Tulsa", "United States", "America/Chicago", "en", "Dana Whitfield",
     [(Role.CITY_MANAGER, "Marcus Reyes"), (Role.CHIEF_DATA_OFFICER, "Priya Natarajan"),
      (Role.COMMUNICATIONS, "Lena Okafor"), (Role.EQUITY_LEAD, "James Redbird")]),
    ("louisville", "Louisville", "United States", "America/Kentucky/Louisville", "en", "Grant Holloway",
     [(Role.CITY_MANAGER, "Alicia Moreno"), (Role.CHIEF_DATA_OFFICER, "Ben Carver"),
      (Role.POLICY, "Sasha Lindqvist")]),
    ("phoenix", "Phoenix", "United States", "America/Phoenix", "en", "Teresa Calderón",
     [(Role.CITY_MANAGER, "Nathan Brooks"), (Role.CHIEF_DATA_OFFICER, "Keiko Tanaka"),
      (Role.EQUITY_LEAD, "Rosa Delgado"), (Role.COMMUNICATIONS, "Omar Haddad")]),
    ("halifax", "Halifax", "Canada", "America/Halifax", "en", "Fiona MacLeod",
     [(Role.CITY_MANAGER, "Ian Sutherland"), (Role.CHIEF_DATA_OFFICER, "Chloe Arsenault"),
      (Role.POLICY, "Malik Ahmed")]),
    ("guadalajara", "Guadalajara", "Mexico", "America/Mexico_City", "es", "Alejandro Ruiz Ochoa",
     [(Role.CITY_MANAGER, "Mariana Ibarra"), (Role.CHIEF_DATA_OFFICER, "Diego Fuentes"),
      (Role.COMMUNICATIONS, "Valeria Campos"), (Role.EQUITY_LEAD, "Rodrigo Salas")]),
    ("merida", "Mérida", "Mexico", "America/Merida", "es", "Lucía Pech Canul",
     [(Role.CITY_MANAGER, "Jorge Euán"), (Role.CHIEF_DATA_OFFICER, "Fernanda Cetina"),
      (Role.POLICY, "Andrés May")]),
    ("guatemala-city", "Guatemala City", "Guatemala", "America/Guatemala", "es", "Héctor Morales",
     [(Role.CITY_MANAGER, "Ana Lucía Reyes"), (Role.CHIEF_DATA_OFFICER, "Pablo Girón"),
      (Role.EQUITY_LEAD, "Carmen Xol"), (Role.COMMUNICATIONS, "Luis Ajú")]),
    ("san-jose", "San José", "Costa Rica", "America/Costa_Rica", "es", "Gabriela Solís",
     [(Role.CITY_MANAGER, "Esteban Vargas"), (Role.CHIEF_DATA_OFFICER, "Natalia Quesada"),
      (Role.POLICY, "Mauricio Jiménez")]),
    ("bogota", "Bogotá", "Colombia", "America/Bogota", "es", "Camilo Restrepo",
     [(Role.CITY_MANAGER, "Laura Gaitán"), (Role.CHIEF_DATA_OFFICER, "Santiago Mejía"),
      (Role.EQUITY_LEAD, "Daniela Palacios"), (Role.COMMUNICATIONS, "Felipe Rincón")]),
    ("quito", "Quito", "Ecuador", "America/Guayaquil", "es", "Verónica Andrade",
     [(Role.CITY_MANAGER, "Pedro Cevallos"), (Role.CHIEF_DATA_OFFICER, "Isabel Paredes"),
      (Role.OTHER, "Tomás Villacís")]),
    ("recife", "Recife", "Brazil", "America/Recife", "pt-br", "João Cavalcanti",
     [(Role.CITY_MANAGER, "Mariana Lins"), (Role.CHIEF_DATA_OFFICER, "Rafael Albuquerque"),
      (Role.COMMUNICATIONS, "Beatriz Souza"), (Role.EQUITY_LEAD, "Carlos Nascimento")]),
    ("cordoba", "Córdoba", "Argentina", "America/Argentina/Cordoba", "es", "Martín Aguirre",
     [(Role.CITY_MANAGER, "Florencia Paz"), (Role.CHIEF_DATA_OFFICER, "Nicolás Ferreyra"),
      (Role.POLICY, "Julieta Bustos")]),
]

CITIES_CURRENT = [
    ("curitiba", "Curitiba", "Brazil", "America/Sao_Paulo", "pt-br", "Helena Ribeiro",
     [(Role.CITY_MANAGER, "Thiago Martins"), (Role.CHIEF_DATA_OFFICER, "Camila Rocha"),
      (Role.COMMUNICATIONS, "Eduardo Lima")]),
    ("santiago", "Santiago", "Chile", "America/Santiago", "es", "Francisca Rojas",
     [(Role.CITY_MANAGER, "Cristóbal Muñoz"), (Role.CHIEF_DATA_OFFICER, "Javiera Soto"),
      (Role.EQUITY_LEAD, "Matías Contreras"), (Role.POLICY, "Constanza Vera")]),
    ("panama-city", "Panama City", "Panama", "America/Panama", "es", "Ricardo Arosemena",
     [(Role.CITY_MANAGER, "Yolanda Pérez"), (Role.CHIEF_DATA_OFFICER, "Iván Castillo"),
      (Role.COMMUNICATIONS, "Marisol Him")]),
    ("montevideo", "Montevideo", "Uruguay", "America/Montevideo", "es", "Carolina Méndez",
     [(Role.CITY_MANAGER, "Gonzalo Pereira"), (Role.CHIEF_DATA_OFFICER, "Lucía Techera"),
      (Role.EQUITY_LEAD, "Sebastián Núñez")]),
    ("richmond", "Richmond", "United States", "America/New_York", "en", "Andre Coleman",
     [(Role.CITY_MANAGER, "Megan Pierce"), (Role.CHIEF_DATA_OFFICER, "Samuel Okoye"),
      (Role.POLICY, "Hannah Brooks"), (Role.COMMUNICATIONS, "Tyler Nguyen")]),
]

# A city of the 2024 cohort that came back for the running one, with the same people: each of them
# is on both teams (one city per cohort), their 2024 history kept where it was.
RETURNING = [("tulsa", "tulsa-returning")]

STAFF = [("staff@example.org", "Rachel Kim"), ("staff2@example.org", "Daniel Ortiz")]
# coach email, name, city slugs
COACHES = [
    ("coach@example.org", "Sofía Herrera",
     ["tulsa", "guadalajara", "bogota", "recife", "curitiba", "santiago", "tulsa-returning"]),
    ("coach2@example.org", "Michael Grant", ["louisville", "phoenix", "halifax", "san-jose", "richmond"]),
    ("coach3@example.org", "Paula Mendes",
     ["merida", "guatemala-city", "quito", "cordoba", "panama-city", "montevideo"]),
]

ROLE_EMAIL_PREFIX = {
    Role.MAYOR: "mayor", Role.CITY_MANAGER: "manager", Role.CHIEF_DATA_OFFICER: "cdo",
    Role.EQUITY_LEAD: "equity", Role.POLICY: "policy", Role.COMMUNICATIONS: "comms", Role.OTHER: "team",
}


def demo_person(email, full_name, *, time_zone="UTC", language="en", **flags):
    user, created = get_user_model().objects.get_or_create(
        email=email, defaults={"full_name": full_name, "time_zone": time_zone, "language": language, **flags}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def current_cohort_dates(today):
    """The running cohort started six weeks ago and lasts six months."""
    start = today - datetime.timedelta(weeks=6)
    return start, start + datetime.timedelta(days=182)


def _returning_city(earlier, slug, cohort):
    """The city again, in `cohort`, with the people of its earlier team in the same roles."""
    city, _ = City.objects.get_or_create(
        slug=slug, defaults={"name": earlier.name, "country": earlier.country, "time_zone": earlier.time_zone,
                             "language": earlier.language, "cohort": cohort},
    )
    for membership in Membership.objects.filter(city=earlier).select_related("user"):
        Membership.objects.get_or_create(user=membership.user, cohort=cohort,
                                         defaults={"city": city, "role": membership.role, "title": membership.title})
    return city


def seed(context):
    today = timezone.localdate()
    cohort_2024, _ = Cohort.objects.get_or_create(
        slug="2024",
        defaults={"name": "2024 cohort", "start_date": datetime.date(2024, 6, 26),
                  "end_date": datetime.date(2024, 12, 20), "status": Cohort.Status.COMPLETED},
    )
    start, end = current_cohort_dates(today)
    slug = f"{start.year}-{(start.year + 1) % 100:02d}"
    current, _ = Cohort.objects.get_or_create(
        slug=slug,
        defaults={"name": f"{start.year}–{(start.year + 1) % 100:02d} cohort", "start_date": start,
                  "end_date": end, "status": Cohort.Status.RUNNING},
    )
    staff = [demo_person(email, name, is_staff=True, time_zone="America/New_York") for email, name in STAFF]
    cities = {}
    for cohort, rows in ((cohort_2024, CITIES_2024), (current, CITIES_CURRENT)):
        for slug_, name, country, tz, lang, mayor, team in rows:
            city, _ = City.objects.get_or_create(
                slug=slug_,
                defaults={"name": name, "country": country, "time_zone": tz, "language": lang, "cohort": cohort},
            )
            cities[slug_] = city
            for role, person in [(Role.MAYOR, mayor), *team]:
                email = f"{ROLE_EMAIL_PREFIX[role]}.{slug_}@example.org"
                user = demo_person(email, person, time_zone=tz, language=lang)
                Membership.objects.get_or_create(
                    user=user, cohort=cohort,
                    defaults={"city": city, "role": role,
                              "title": "Director of Innovation" if role == Role.OTHER else ""},
                )
    for earlier_slug, slug_ in RETURNING:
        cities[slug_] = _returning_city(cities[earlier_slug], slug_, current)
    coaches = []
    for email, name, slugs in COACHES:
        coach = demo_person(email, name, is_coach=True, time_zone="America/New_York")
        coaches.append(coach)
        for city_slug in slugs:
            CoachAssignment.objects.get_or_create(city=cities[city_slug], coach=coach)
    context.update(cohort_2024=cohort_2024, current_cohort=current, cities=cities, staff=staff, coaches=coaches)
