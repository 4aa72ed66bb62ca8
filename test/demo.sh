#!/usr/bin/env bash
# demo: run the main job (tools/demo) at a small scale, on its own
# throwaway cluster with a simulated clock, and check what it claims:
# the proof passed, the year's invariants hold in the database it left
# running, and the report holds the map and the chart.
#
# Runs inside tools/test, which has built and installed the extension and
# holds the install lock; so the demo skips its own build.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps nodejs libfaketime

work=$(mktemp -d)
stop=""
cleanup() {
	if [ -n "$stop" ]; then eval "$stop" >/dev/null 2>&1 || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

# 40 days: January is settled and closed, February settled.
env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE SHOWROOM_DEMO_INSTALLED=1 \
	tools/demo --scale 0.2 --days 40 --seed 7 --keep --out "$work/out" >"$work/log" 2>&1 || {
	cat "$work/log"
	echo "demo.sh: tools/demo failed" >&2
	exit 1
}
cat "$work/log"
sock=$(sed -n 's/^  connect:  psql -h \([^ ]*\) .*/\1/p' "$work/log")
stop="$(sed -n 's/^  stop:     //p' "$work/log"); $(sed -n 's/^ *after stopping it: //p' "$work/log")"
[ -n "$sock" ] && [ -n "$stop" ] || { echo "demo.sh: --keep printed no connection" >&2; exit 1; }

fail=0
check() { # check LABEL SQL: the query must return t
	local got
	got=$(psql -X -At -h "$sock" -U postgres -d showroom_demo -c "$2" 2>&1) || true
	if [ "$got" = t ]; then echo "ok: $1"; else echo "FAILED: $1 (got '$got')"; fail=1; fi
}
grep -q '^proof: all checks passed$' "$work/log" || { echo "FAILED: proof line"; fail=1; }
check "every planned order sold or recorded as lost" \
	"SELECT (SELECT count(*) FROM demo.plan) = (SELECT count(*) FROM showroom.sales_order) + (SELECT count(*) FROM demo.lost_sale) AND (SELECT count(*) FROM demo.plan) > 20"
check "sales by the clerk, named in showroom.person" \
	"SELECT bool_and(m.done_by = 'Li Na (clerk)') AND count(*) > 20 FROM showroom.stock_movement m JOIN showroom.sales_order o ON o.id = m.sales_order_id WHERE m.kind = 'allocation' AND m.at = o.created_at"
check "receipts and shipments by the DC's person" \
	"SELECT bool_and(done_by = 'Wang Lei (DC)') FROM showroom.stock_movement WHERE kind IN ('shipment', 'delivery') OR (kind = 'receipt' AND note LIKE 'supplier delivery%')"
check "state changes of the crews by the outlet login and its person" \
	"SELECT bool_and(t.db_role = 'demo_outlet' AND t.person = 'Zhang Wei (outlet crews)') AND count(*) > 50 FROM showroom.service_trail t WHERE t.to_state IN ('accepted', 'on_the_way', 'done')"
check "no ledger row or audit move left to the superuser's name" \
	"SELECT NOT EXISTS (SELECT 1 FROM showroom.stock_movement WHERE done_by = current_user) AND NOT EXISTS (SELECT 1 FROM showroom.service_trail WHERE coalesce(person, db_role::text) = current_user)"
check "who did what: the dispatcher dispatched, the crews finished an hour after accepting, the clerk and the DC wrote the ledger, finance closed" \
	"SELECT count(*) FILTER (WHERE who = 'Chen Jing (dispatcher)' AND dispatches > 20) = 1 AND count(*) FILTER (WHERE who = 'Zhang Wei (outlet crews)' AND finishes > 20 AND dispatches = 0 AND accept_to_done_p50 = '1 hour') = 1 AND count(*) FILTER (WHERE who IN ('Li Na (clerk)', 'Wang Lei (DC)') AND ledger_rows > 20) = 2 AND count(*) FILTER (WHERE who = 'Liu Yang (finance)' AND statements_closed = (SELECT count(*) FROM showroom.statement WHERE state = 'closed')) = 1 AND sum(finishes) = (SELECT count(*) FROM showroom.service_trail WHERE to_state = 'done') FROM demo.who_did_what"
check "key-account orders sold" \
	"SELECT count(*) >= 5 FROM showroom.sales_order WHERE channel = 'key_account'"
check "customers outside every outlet area left unassigned" \
	"SELECT count(*) > 0 FROM showroom.service_order s WHERE s.state = 'requested' AND NOT EXISTS (SELECT 1 FROM showroom.service_area a WHERE a.outlet_id IS NOT NULL AND ST_Covers(a.geom, s.point))"
check "installations created by deliveries" \
	"SELECT count(*) > 0 FROM showroom.service_order WHERE kind = 'installation' AND state = 'closed'"
check "defects with second deliveries" \
	"SELECT count(*) > 0 FROM showroom.service_order WHERE origin = 'defect_redelivery' AND done_at IS NOT NULL"
check "every delivered COD order collected once" \
	"SELECT count(*) = 0 FROM showroom.sales_order o WHERE o.state = 'delivered' AND o.cod_fen > 0 AND EXISTS (SELECT 1 FROM showroom.service_order s WHERE s.sales_order_id = o.id AND s.kind = 'delivery' AND s.outlet_id IS NOT NULL) AND (SELECT count(*) FROM showroom.cod_collection c WHERE c.sales_order_id = o.id) <> 1"
check "January closed for every outlet, its total the sum of its lines" \
	"SELECT count(*) = (SELECT count(*) FROM showroom.outlet) AND bool_and(s.total_fen = (SELECT coalesce(sum(amount_fen), 0) FROM showroom.statement_line l WHERE l.statement_id = s.id)) FROM showroom.statement s WHERE s.period = '2026-01-01' AND s.state = 'closed'"
check "events stamped on their trading day (simulated clock)" \
	"SELECT bool_and(showroom.business_date(at) BETWEEN '2025-12-31' AND '2026-02-11') FROM showroom.stock_movement"

# A second run with the same seed must trade the same year.
n1=$(psql -X -At -h "$sock" -U postgres -d showroom_demo -c "SELECT count(*) || '/' || sum(cod_fen) FROM showroom.sales_order")
plan1=$(psql -X -At -h "$sock" -U postgres -d showroom_demo -c "SELECT md5(string_agg(n || ':' || lon || ':' || lat || ':' || skus::text, ',' ORDER BY n)) FROM demo.plan")

# The report: self-contained, with the map and the chart drawn.
html="$work/out/report.html"
for want in '<svg id="map"' 'class="district"' 'class="area"' 'class="delivery"' 'class="run"' \
	'class="dc"' 'class="store"' '<svg id="chart"' 'class="series"' '<table id="outlets"' \
	'<table id="months"' '<table id="whatif"' '<table id="who"'; do
	if grep -qF "$want" "$html"; then echo "ok: report has $want"; else echo "FAILED: report lacks $want"; fail=1; fi
done
# The report's what-if is the product's view: a row a month and the year.
got=$(node -e 'const r = require(process.argv[1]); const y = r.whatif.find((w) => w.month === "year");
  console.log(r.whatif.length + "/" + y.central + "/" + y.stock_central)' "$work/out/report.json")
want=$(psql -X -At -h "$sock" -U postgres -d showroom_demo -c "SELECT (count(*) + 1) || '/' || sum(deliveries_central) || '/' || round(avg(stock_central)) FROM showroom.central_whatif_dc")
if [ "$got" = "$want" ] && [ "${want%%/*}" -ge 2 ]; then echo "ok: report's what-if from central_whatif_dc ($got)"; else echo "FAILED: report's what-if $got, view $want"; fail=1; fi
if grep -qiE '(src|href)="(https?:)?//' "$html"; then echo "FAILED: report loads from the network"; fail=1; else echo "ok: report needs no network"; fi
[ "$(grep -o 'class="district"' "$html" | wc -l)" -eq 5 ] && echo "ok: five districts drawn" || { echo "FAILED: five districts"; fail=1; }

# The proof must be able to fail: a unit that appears without a ledger
# row makes it exit non-zero.
psql -X -q -h "$sock" -U postgres -d showroom_demo \
	-c "UPDATE showroom.stock_balance SET on_hand = on_hand + 1 WHERE (dc_id, sku_id, slot) = (SELECT dc_id, sku_id, slot FROM showroom.stock_balance ORDER BY 1, 2, 3 LIMIT 1)"
if psql -X -q -v ON_ERROR_STOP=1 -h "$sock" -U postgres -d showroom_demo -f tools/demo.d/90_verify.sql >"$work/verify" 2>&1; then
	echo "FAILED: the proof passed a ledger with a unit too many"; fail=1
elif grep -q '^proof: FAILED$' "$work/verify"; then
	echo "ok: the proof fails on a unit without a ledger row"
else
	cat "$work/verify"; echo "FAILED: the proof failed for another reason"; fail=1
fi

eval "$stop" >/dev/null 2>&1 || true
stop=""
env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE SHOWROOM_DEMO_INSTALLED=1 \
	tools/demo --scale 0.2 --days 40 --seed 7 --keep --out "$work/out2" >"$work/log2" 2>&1 || {
	cat "$work/log2"; echo "demo.sh: second run failed" >&2; exit 1; }
sock=$(sed -n 's/^  connect:  psql -h \([^ ]*\) .*/\1/p' "$work/log2")
stop="$(sed -n 's/^  stop:     //p' "$work/log2"); $(sed -n 's/^ *after stopping it: //p' "$work/log2")"
n2=$(psql -X -At -h "$sock" -U postgres -d showroom_demo -c "SELECT count(*) || '/' || sum(cod_fen) FROM showroom.sales_order")
plan2=$(psql -X -At -h "$sock" -U postgres -d showroom_demo -c "SELECT md5(string_agg(n || ':' || lon || ':' || lat || ':' || skus::text, ',' ORDER BY n)) FROM demo.plan")
if [ "$n1" = "$n2" ] && [ "$plan1" = "$plan2" ]; then echo "ok: same seed, same year ($n1)"; else echo "FAILED: same seed gave $n1 then $n2"; fail=1; fi
exit "$fail"
