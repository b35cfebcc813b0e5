"""Roster files for the import tests: `cities` cities of five people each."""

from cohorts.roster_files import roster_csv, roster_xlsx

ROLES = ["mayor", "city_manager", "cdo", "equity", "comms"]
PLACES = [("United States", "America/Chicago", "en"), ("Mexico", "America/Mexico_City", "es"),
          ("Brazil", "America/Sao_Paulo", "pt-br")]


def roster_rows(cities=15, prefix="town"):
    rows = []
    for n in range(1, cities + 1):
        country, zone, language = PLACES[n % len(PLACES)]
        for role in ROLES:
            rows.append({"city": f"{prefix.title()} {n}", "country": country, "time_zone": zone, "language": language,
                         "role": role, "name": f"{role.title()} of {prefix} {n}",
                         "email": f"{role}.{prefix}{n}@example.org", "title": ""})
    return rows


def as_file(rows, fmt="csv"):
    return roster_csv(rows) if fmt == "csv" else roster_xlsx(rows, title="roster")
