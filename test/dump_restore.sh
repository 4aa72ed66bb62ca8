#!/usr/bin/env bash
# dump_restore: pg_dump and pg_restore lose nothing of showroom's data.
#
# Fills a database through the fixtures test/fixtures/fill_*.sql, dumps it
# with pg_dump -Fc, restores it into a new database, and compares every
# table of schema showroom by row count and an ordered checksum.  Then
# runs test/fixtures/more_*.sql on the restored database: one more row of
# each kind must go in without a duplicate key (sequences restored) and
# seeded rows must not be doubled.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
src=sr_dump_src
dst=sr_dump_dst
trap 'rm -rf "$work"; dropdb --if-exists $src; dropdb --if-exists $dst' EXIT
psqlq() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

dropdb --if-exists $src
dropdb --if-exists $dst
createdb $src
psqlq -d $src -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION showroom CASCADE'
for f in test/fixtures/fill_*.sql; do
	psqlq -d $src -f "$f" >/dev/null
done

# pg_dump warns about the self-referencing key of service_order; it is
# deferrable, so the restore below loads it in any row order.
pg_dump -Fc -d $src -f "$work/dump" 2>"$work/dump.log" || { cat "$work/dump.log"; exit 1; }
createdb $dst
pg_restore --exit-on-error -d $dst "$work/dump"

# fingerprint DB: one line per table: name, row count, ordered checksum.
fingerprint() {
	psql -X -At -d "$1" <<'SQL'
SELECT format('SELECT %L, count(*), md5(coalesce(string_agg(t::text, E''\n'' ORDER BY t::text), '''')) FROM %s t',
              c.oid::regclass, c.oid::regclass)
  FROM pg_class c
 WHERE c.relnamespace = 'showroom'::regnamespace AND c.relkind = 'r'
 ORDER BY c.relname
\gexec
SQL
}
fingerprint $src >"$work/src.txt"
fingerprint $dst >"$work/dst.txt"
if ! diff -u "$work/src.txt" "$work/dst.txt"; then
	echo "dump_restore: restored database differs from the original"
	exit 1
fi
tables=$(wc -l <"$work/src.txt")
rows=$(awk -F'|' '{ s += $2 } END { print s }' "$work/src.txt")
filled=$(awk -F'|' '$2 > 0' "$work/src.txt" | wc -l)
echo "dump_restore: $tables tables ($filled with rows, $rows rows) identical after restore"
[ "$rows" -gt 0 ] || { echo "dump_restore: the fixtures wrote nothing"; exit 1; }

for f in test/fixtures/more_*.sql; do
	psqlq -d $dst -f "$f" >/dev/null
done
echo "dump_restore: one more row of each kind inserted after restore"
