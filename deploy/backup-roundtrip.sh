#!/bin/sh
# Prove a backup restores: dump a database, restore the dump into a new database, and compare
# the row count of every table. Exits 0 when every count matches, 1 otherwise.
#
#   deploy/backup-roundtrip.sh SOURCE_URL [TARGET_DB_NAME]
#
# SOURCE_URL is a postgres:// URL (the DATABASE_URL of the app, or of a copy of it); the role in
# it must be allowed to create databases. TARGET_DB_NAME defaults to <source>_restore_<time>; the
# restored database is dropped at the end unless KEEP_RESTORED=1. The dump is written to
# BACKUP_DIR (default: a temporary folder, removed at the end) as <source>-<time>.dump, the same
# custom-format file the nightly backup in the README makes.
#
# Uses pg_dump, pg_restore and psql from the machine; their major version must be at least the
# server's. The counts are taken after the dump: run it on a quiet database (the demo, a copy,
# a maintenance window), or rows written meanwhile show up as differences.
set -eu

if [ $# -lt 1 ]; then
    echo "usage: $0 SOURCE_URL [TARGET_DB_NAME]" >&2
    exit 2
fi
SOURCE_URL=$1
# The database name is the URL's path, without any ?options.
SOURCE_DB=$(printf '%s' "$SOURCE_URL" | sed -e 's|^[a-z]*://[^/]*/||' -e 's|?.*$||')
BASE_URL=$(printf '%s' "$SOURCE_URL" | sed -e 's|^\([a-z]*://[^/]*\)/.*$|\1|')
STAMP=$(date -u +%Y%m%d%H%M%S)
TARGET_DB=${2:-${SOURCE_DB}_restore_${STAMP}}
case "$TARGET_DB" in
    *[!a-zA-Z0-9_]*|"") echo "target database name must be letters, digits and _ only: $TARGET_DB" >&2; exit 2 ;;
esac
if [ "$TARGET_DB" = "$SOURCE_DB" ]; then
    echo "the target database must not be the source" >&2
    exit 2
fi
TARGET_URL="$BASE_URL/$TARGET_DB"
MAINTENANCE_URL="$BASE_URL/postgres"

if [ -n "${BACKUP_DIR:-}" ]; then
    WORK=$BACKUP_DIR
    mkdir -p "$WORK"
    REMOVE_WORK=0
else
    WORK=$(mktemp -d)
    REMOVE_WORK=1
fi
DUMP="$WORK/$SOURCE_DB-$STAMP.dump"
CREATED=0

cleanup() {
    if [ "$CREATED" = 1 ] && [ "${KEEP_RESTORED:-0}" != 1 ]; then
        psql "$MAINTENANCE_URL" -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$TARGET_DB\"" >/dev/null
    fi
    if [ "$REMOVE_WORK" = 1 ]; then
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# The query that lists every table with its exact row count, one "schema.table|count" a line.
COUNTS_SQL="
SELECT format('SELECT %L || ''|'' || count(*) FROM %I.%I;', n.nspname || '.' || c.relname, n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%'
ORDER BY 1;"

counts() {
    psql "$1" -At -v ON_ERROR_STOP=1 -c "$COUNTS_SQL" | psql "$1" -At -v ON_ERROR_STOP=1
}

echo "dumping $SOURCE_DB to $DUMP"
pg_dump --format=custom --no-owner --no-privileges --file="$DUMP" "$SOURCE_URL"
echo "restoring into new database $TARGET_DB"
psql "$MAINTENANCE_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$TARGET_DB\"" >/dev/null
CREATED=1
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$TARGET_URL" "$DUMP"

counts "$SOURCE_URL" > "$WORK/source.counts"
counts "$TARGET_URL" > "$WORK/target.counts"
TABLES=$(wc -l < "$WORK/source.counts" | tr -d ' ')
ROWS=$(awk -F'|' '{s += $2} END {print s + 0}' "$WORK/source.counts")
if diff -u "$WORK/source.counts" "$WORK/target.counts"; then
    echo "OK: $TABLES tables, $ROWS rows, every count equal in $TARGET_DB"
    exit 0
fi
echo "MISMATCH: the restored database differs from the source (lines above: - source, + restored)" >&2
exit 1
