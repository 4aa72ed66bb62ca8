#!/usr/bin/env bash
# settlement.sh: time a settlement run of 100,000 and of 1,000,000
# completed service orders across 200 outlets against the bare cost of
# its result, a plain INSERT ... SELECT of the same number of lines, from
# precomputed amounts, into a table of the same shape and indexes; and
# report the backend's peak memory (VmHWM from /proc) for each.
#
#   bench/settlement.sh
#   SETTLE_BENCH_SIZES=100000 bench/settlement.sh    (the first step only)
#
# Runs against tools/pg-sandbox --durable (fsync on, shared_buffers 1GB),
# holding /tmp/showroom-test.lock.  Each timed step is one pgbench
# transaction on a fresh connection (so VmHWM is that step's own), after a
# CHECKPOINT.  Prints the times and the ratio settlement / baseline.
set -euo pipefail
cd "$(dirname "$0")/.."

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
if [ "${1:-}" != "--inside" ]; then
	make -s >/dev/null
	exec 9>/tmp/showroom-test.lock
	flock 9
	make -s install >/dev/null
	exec tools/pg-sandbox --durable -- "$0" --inside
fi

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work"
psql="psql -X -q -v ON_ERROR_STOP=1"

# step NAME SQL: run SQL as one pgbench transaction on a new connection,
# record the backend's VmHWM and RssShmem, and print the time in ms.
step() {
	local name=$1 sql=$2
	$psql -c "CHECKPOINT" >/dev/null
	cat >"$work/$name.sql" <<SQL
$sql
INSERT INTO bench.memory
SELECT '$name',
       (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmHWM:\s+(\d+)'))[1]::bigint,
       (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'RssShmem:\s+(\d+)'))[1]::bigint;
SQL
	"$PG_BIN/pgbench" -n -t 1 -f "$work/$name.sql" 2>&1 |
		sed -n 's/^latency average = \([0-9.]*\) ms$/\1/p'
}

# reset: forget every statement and line (nothing is closed here).
reset() {
	$psql -c "TRUNCATE showroom.statement_line" -c "TRUNCATE showroom.statement, showroom.settlement_run, bench.line_copy" >/dev/null
	$psql -c "VACUUM ANALYZE" >/dev/null
}

echo "setting up 200 outlets and fee rules"
$psql -f bench/settlement_setup.sql >/dev/null

for n in ${SETTLE_BENCH_SIZES:-100000 1000000}; do
	have=$($psql -At -c "SELECT count(*) FROM showroom.service_order")
	echo "adding orders up to $n"
	$psql -v first=$((have + 1)) -v last=$n -f bench/settlement_orders.sql >/dev/null
	reset

	# The precomputed amounts for the baseline (untimed): the same lines
	# the settlement writes, from a settlement run kept aside.
	$psql -q -c "SELECT count(*) FROM showroom.settle('2026-03-01')" >/dev/null
	$psql -c "DROP TABLE IF EXISTS bench.precomputed" \
		-c "CREATE TABLE bench.precomputed AS SELECT statement_id, component, source_id, service_order_id, amount_fen, distance_m, note FROM showroom.statement_line" >/dev/null
	reset
	lines=$($psql -At -c "SELECT count(*) FROM bench.precomputed")

	base=$(step "baseline_$n" "INSERT INTO bench.line_copy (statement_id, component, source_id, service_order_id, amount_fen, distance_m, note, run_id) SELECT statement_id, component, source_id, service_order_id, amount_fen, distance_m, note, 1 FROM bench.precomputed;")
	settle=$(step "settle_$n" "SELECT count(*) FROM showroom.settle('2026-03-01');")
	again=$(step "rerun_$n" "SELECT count(*) FROM showroom.settle('2026-03-01');")
	written=$($psql -At -c "SELECT count(*) FROM showroom.statement_line")

	printf '%8d orders, %8d lines: baseline %9.0f ms, settlement %9.0f ms, ratio %.2f; rerun (adds nothing) %8.0f ms\n' \
		"$n" "$written" "$base" "$settle" "$(echo "$settle / $base" | bc -l)" "$again"
	[ "$written" -eq "$lines" ] || { echo "settlement wrote $written lines, expected $lines" >&2; exit 1; }
done

echo "backend peak memory (kB): VmHWM, shared memory resident at the end, and their difference"
$psql -c "SELECT step, vmhwm_kb, rss_shmem_kb, vmhwm_kb - rss_shmem_kb AS private_peak_kb FROM bench.memory ORDER BY step"
