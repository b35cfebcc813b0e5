"""`make bench`: build a large cohort in a throw-away PostgreSQL database, then time every page
against the floor and print page | queries | ms | × floor | goal met. Exits 1 when a goal is missed.

Benchmarks are modules `benchmarks/bench_*.py`. Each may define `extend(world)` (its app's rows; all
run before any measurement, so every page sees the whole program), `pages(world)` (a list of Page)
and `figures(world)` (a list of Figure: sweeps and other work that is not a page).

    make bench                       # everything
    make bench ONLY="bench_dashboard bench_strategy"
    BENCH_SAMPLES=25 make bench      # more samples per page (default 15)"""

import importlib
import os
import pkgutil
import sys


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("make bench runs on PostgreSQL: set DATABASE_URL=postgres://… (a throw-away test_<name> is made)")
    import django

    django.setup()
    import logging
    import warnings

    from django.db import connection
    from django_scopes import scopes_disabled

    logging.disable(logging.INFO)  # the request log and the sweeps log every line; the figures are what matters
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: static files are not collected here
    # No setup_test_environment(): it instruments every template render (a signal and a copy of
    # the context per template) and would charge the pages a cost production does not have.
    samples = int(os.environ.get("BENCH_SAMPLES", 15))
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from benchmarks import large_cohort
        from benchmarks.support import client_for, count_queries, interleaved

        names = sorted(m.name for m in pkgutil.iter_modules(["benchmarks"]) if m.name.startswith("bench_"))
        only = argv or names
        modules = [importlib.import_module(f"benchmarks.{name}") for name in names]
        with scopes_disabled():
            world = large_cohort.build()
            for module in modules:
                if hasattr(module, "extend"):
                    module.extend(world)
        with connection.cursor() as cursor:
            # As autovacuum would soon after a bulk load: the planner needs the statistics.
            cursor.execute("ANALYZE")
        from dashboards.tasks import sweep_rows

        sweep_rows()  # as beat does: the dashboard's stored rows are current before anyone looks
        floor_client = client_for(world.nobody)
        print(f"{connection.vendor}, {world.summary}; {samples} interleaved samples per page")
        header = f"{'page':<58} {'queries':>7} {'ms':>8} {'× floor':>8}  goal met"
        print(header)
        print("-" * len(header))
        missed = []
        floor_medians = []
        clients = {}
        for name, module in zip(names, modules, strict=True):
            if name not in only:
                continue
            with scopes_disabled():
                pages = module.pages(world) if hasattr(module, "pages") else []
            for page in pages:
                client = clients.get(page.user.pk) or clients.setdefault(page.user.pk, client_for(page.user))
                queries, _size = count_queries(client, page.url)
                seconds, floor = interleaved(client, page.url, floor_client, samples=samples)
                floor_medians.append(floor)
                ratio = seconds / floor
                met = queries <= page.max_queries and seconds <= page.allowed_seconds(floor)
                extra = f"  ({page.rows / seconds:,.0f} rows/s)" if page.rows else ""
                print(f"{page.label[:58]:<58} {queries:>7} {seconds * 1000:>8.1f} {ratio:>8.2f}  "
                      f"{'yes' if met else 'NO'}{extra}")
                if not met:
                    missed.append(page.label)
            with scopes_disabled():
                figures = module.figures(world) if hasattr(module, "figures") else []
            for figure in figures:
                mark = "" if figure.met is None else ("yes" if figure.met else "NO")
                print(f"{figure.label[:58]:<58} {figure.value:>16.2f} {figure.unit:<8} {mark} {figure.goal}")
                if figure.met is False:
                    missed.append(figure.label)
        if floor_medians:
            floor_medians.sort()
            print(f"floor (/bench/floor/): median {floor_medians[len(floor_medians) // 2] * 1000:.2f} ms")
        if missed:
            print(f"\n{len(missed)} goal(s) missed: " + "; ".join(missed))
            return 1
        print("\nEvery goal met.")
        return 0
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
