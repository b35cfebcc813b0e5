"""`make load`: the main pages under concurrent load, served by gunicorn (gunicorn.conf.py) on the
loopback, as ratios to the floor page served the same way.

It builds the large cohort in a throw-away PostgreSQL database (as `make bench` does), starts
gunicorn on 127.0.0.1 (LOAD_PORT, default 8014), and for 10, 50 and 100 connections sends each
page's requests for LOAD_SECONDS (default 6) from that many keep-alive connections. It prints
req/s and p50/p95/p99 latency per page and level, each as a ratio to the floor at the same level,
errors and timeouts, and "resent": GETs sent again, once, on a new connection because the server
had just closed the idle keep-alive one being reused (as a browser or proxy does; not an error).
It stops by itself: every run is bounded by LOAD_SECONDS, every request
by REQUEST_TIMEOUT (30 s, gunicorn's own timeout), and gunicorn is stopped at the end.

Exits 1 when, at 100 connections, any request failed or timed out, or a page's throughput is
below half the floor's."""

import http.client
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlsplit

LEVELS = (10, 50, 100)
HOST = "127.0.0.1"  # loopback only, on purpose
REQUEST_TIMEOUT = 30
MIN_THROUGHPUT_RATIO = 0.5


def _percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# What a server's close of an idle keep-alive connection looks like to the client that was just
# reusing it. Browsers and proxies then send an idempotent GET again on a new connection, once;
# so does this script, and it counts those resends apart from errors.
STALE_CONNECTION = (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected)


def hammer(port, path, cookie, connections, seconds):
    """{'n', 'errors', 'timeouts', 'resent', 'latencies'} for `connections` threads sending GET
    `path` on their own keep-alive connection until `seconds` have passed."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    result = {"n": 0, "errors": 0, "timeouts": 0, "resent": 0, "latencies": []}

    def new_connection():
        return http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)

    def get(conn):
        conn.request("GET", path, headers={"Cookie": cookie, "Host": HOST})
        response = conn.getresponse()
        response.read()
        return response

    def worker():
        conn, reused = new_connection(), False
        latencies, errors, timeouts, resent = [], 0, 0, 0
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                try:
                    response = get(conn)
                except STALE_CONNECTION:
                    if not reused:
                        raise
                    resent += 1
                    conn.close()
                    conn = new_connection()
                    response = get(conn)
                reused = True
                if response.status != 200:
                    errors += 1
                else:
                    latencies.append(time.perf_counter() - start)
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn, reused = new_connection(), False
            except TimeoutError:
                timeouts += 1
                conn.close()
                conn, reused = new_connection(), False
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn, reused = new_connection(), False
        conn.close()
        with lock:
            result["latencies"] += latencies
            result["errors"] += errors
            result["timeouts"] += timeouts
            result["resent"] += resent

    started = time.monotonic()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT + 5)
    result["elapsed"] = time.monotonic() - started
    result["n"] = len(result["latencies"])
    return result


def _wait_until_up(port, cookie, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/bench/floor/", headers={"Cookie": cookie, "Host": HOST})
            if conn.getresponse().status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("make load runs on PostgreSQL: set DATABASE_URL=postgres://… (a throw-away test_<name> is made)")
    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django_scopes import scopes_disabled

    logging.disable(logging.INFO)
    setup_test_environment()
    port = int(os.environ.get("LOAD_PORT", 8014))
    seconds = float(os.environ.get("LOAD_SECONDS", 6))
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    server = None
    try:
        from benchmarks import bench_calendar, bench_coaching, bench_convening, bench_dashboard, bench_strategy
        from benchmarks.large_cohort import build
        from dashboards.tasks import sweep_rows

        with scopes_disabled():
            world = build()
            for module in (bench_calendar, bench_coaching, bench_convening, bench_dashboard, bench_strategy):
                module.extend(world)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        sweep_rows()

        def cookie_for(user):
            client = Client()
            client.force_login(user)
            return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

        staff, mayor = cookie_for(world.staff), cookie_for(world.people[0])
        pages = [
            ("floor", "/bench/floor/", cookie_for(world.nobody)),
            ("cohort dashboard, staff", f"/cohorts/{world.cohort.slug}/", staff),
            ("cohort dashboard, coach", f"/cohorts/{world.cohort.slug}/", cookie_for(world.coaches[0])),
            ("city home, mayor", f"/cities/{world.cities[0].slug}/", mayor),
            ("plan page, full plan", f"/cities/{world.cities[0].slug}/strategy/", mayor),
            ("session page, 500 invitees", world.calendar_next.get_absolute_url(), staff),
            ("convening board", f"/sessions/{world.convening.code}/board/", staff),
            ("check-in desk", f"/sessions/{world.convening.code}/check-in/", staff),
        ]
        connection.close()  # gunicorn's workers open their own
        parts = urlsplit(url)
        env = dict(os.environ, DATABASE_URL=parts._replace(path="/" + settings.DATABASES["default"]["NAME"]).geturl(),
                   GUNICORN_BIND=f"{HOST}:{port}", DJANGO_SETTINGS_MODULE="benchmarks.settings",
                   GUNICORN_LOGLEVEL="warning")
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        # The app writes a line per request: to a file, so the table stays readable.
        log_path = os.path.join(tempfile.gettempdir(), f"accelerator-load-{port}.log")
        with open(log_path, "w") as server_log:  # gunicorn keeps its own copy of the file
            server = subprocess.Popen([gunicorn, "-c", "gunicorn.conf.py", "accelerator.wsgi"], env=env,
                                      stdout=server_log, stderr=subprocess.STDOUT, start_new_session=True)
        if not _wait_until_up(port, pages[0][2]):
            sys.exit("gunicorn did not answer on the loopback within 60 s")
        print(f"gunicorn on {HOST}:{port} (its log: {log_path}); {world.summary}; "
              f"{seconds:g} s per page and level")
        header = (f"{'page':<30} {'conns':>5} {'req/s':>8} {'÷ floor':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
                  f"{'p99 ÷ floor':>11} {'errors':>6} {'timeouts':>8} {'resent':>6}")
        print(header)
        print("-" * len(header))
        failed = []
        for level in LEVELS:
            floor = None
            for label, path, cookie in pages:
                hammer(port, path, cookie, 2, 0.5)  # warm the workers for this page
                result = hammer(port, path, cookie, level, seconds)
                rate = result["n"] / result["elapsed"]
                p50, p95, p99 = (_percentile(result["latencies"], q) * 1000 for q in (0.5, 0.95, 0.99))
                if floor is None:
                    floor = {"rate": rate, "p99": p99}
                ratio = rate / floor["rate"] if floor["rate"] else float("nan")
                p99_ratio = p99 / floor["p99"] if floor["p99"] else float("nan")
                print(f"{label[:30]:<30} {level:>5} {rate:>8.1f} {ratio:>8.2f} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} "
                      f"{p99_ratio:>11.2f} {result['errors']:>6} {result['timeouts']:>8} {result['resent']:>6}")
                if level == LEVELS[-1] and (result["errors"] or result["timeouts"] or ratio < MIN_THROUGHPUT_RATIO):
                    failed.append(label)
        if failed:
            print(f"\nAt {LEVELS[-1]} connections, goals missed (errors, timeouts or < {MIN_THROUGHPUT_RATIO}× the "
                  f"floor's throughput): " + "; ".join(failed))
            return 1
        print(f"\nAt {LEVELS[-1]} connections: no errors or timeouts, every page ≥ {MIN_THROUGHPUT_RATIO}× the floor.")
        return 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
