"""`make bench`: build a large cohort in a throw-away database and report each benchmark.

Benchmarks are modules `benchmarks/bench_*.py` with `run(baseline) -> list[(name, value, unit)]`;
`baseline` holds the median time of the simplest signed-in page in this run."""

import importlib
import os
import pkgutil
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accelerator.settings_test")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django_scopes import scopes_disabled

    settings.ALLOWED_HOSTS = ["testserver"]
    import logging

    logging.disable(logging.INFO)  # the sweeps log every batch they send; the figures are what matters
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from benchmarks import large_cohort
        from benchmarks.support import BASELINE_URL, client_for, time_get

        names = sorted(m.name for m in pkgutil.iter_modules(["benchmarks"]) if m.name.startswith("bench_"))
        modules = [importlib.import_module(f"benchmarks.{name}") for name in names]
        with scopes_disabled():
            world = large_cohort.build()
            for module in modules:
                if hasattr(module, "extend"):
                    module.extend(world)
        baseline, baseline_queries = time_get(client_for(world.nobody), BASELINE_URL, repeat=15)
        print(f"Baseline: {BASELINE_URL} {baseline * 1000:.1f} ms, {baseline_queries} queries "
              f"({connection.vendor}, {world.summary})")
        only = sys.argv[1:]
        for name, module in zip(names, modules, strict=True):
            if only and name not in only:
                continue
            with scopes_disabled():  # benchmark set-up reads across cities; requests open their own scope
                results = module.run(world, baseline)
            for label, value, unit in results:
                print(f"  {name[6:]:<14} {label:<52} {value:>10.2f} {unit}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
