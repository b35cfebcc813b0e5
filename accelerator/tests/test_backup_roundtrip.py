"""deploy/backup-roundtrip.sh dumps the seeded demo, restores it into a new database and finds
every table's row count equal. PostgreSQL only; loopback only."""

import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "backup-roundtrip.sh"


def source_url():
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_backup_script_round_trips_the_demo(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the backup round trip uses pg_dump and pg_restore: PostgreSQL only (this run is on SQLite)")
    if connection.settings_dict["HOST"] not in ("127.0.0.1", "localhost", "::1"):
        pytest.skip("the round trip creates and drops a database: loopback servers only")
    for tool in ("pg_dump", "pg_restore", "psql"):
        if subprocess.run(["which", tool], capture_output=True).returncode != 0:
            pytest.skip(f"{tool} is not installed on this machine")
    settings.DEBUG = True
    call_command("seed_demo")
    target = f"acc_roundtrip_{uuid.uuid4().hex[:12]}"
    result = subprocess.run(["sh", str(SCRIPT), source_url(), target], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"every count equal in {target}" in result.stdout
    tables, rows = (int(word) for word in result.stdout.split("OK: ")[1].replace(",", "").split()[::2][:2])
    assert tables > 20 and rows > 500  # the demo really was in it
    with connection.cursor() as cursor:  # and the restored copy was dropped afterwards
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [target])
        assert cursor.fetchone()[0] == 0


def test_a_mismatch_or_bad_name_is_refused():
    result = subprocess.run(["sh", str(SCRIPT), "postgres://u@127.0.0.1:1/x", "bad;name"], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 2 and "letters, digits and _ only" in result.stderr
