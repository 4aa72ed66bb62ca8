#!/usr/bin/env bash
# stock.sh: how fast showroom.sell() allocates, against raw UPDATE
# baselines measured in the same run on the same durable cluster.
#
#   bench/stock.sh [seconds per run, default 10]
#
# Builds and installs showroom, starts tools/pg-sandbox --durable (fsync
# on, shared_buffers 1GB) while holding /tmp/showroom-test.lock, and runs
# pgbench (-j 2, prepared statements) at 1, 4 and 16 clients for:
#   raw spread  UPDATE of a random row of 10,000 (on_hand - 1)
#   raw hot     UPDATE of one row (on_hand - 1)
#   sell spread one-line sale of a random SKU of 10,000
#   sell hot    one-line sale of one SKU whose stock is split over 32 slots
#   clerk spread  sell spread by a login of showroom_clerk, whose row-level
#               security policies send the sale's reads and writes through
#               SQL statements (doc/stock.md, "How a sale does its work")
#   naive spread  the reference allocation the targets were set against:
#               PL/pgSQL SELECT ... FOR UPDATE, UPDATE, INSERT of one row,
#               on a random row of 10,000 (no order, line or ledger)
#   naive hot   the same on one item split over 32 slots: each backend
#               takes the slot its process id picks, else any free one
#   bare rows   the rows the data model asks a sale to write, and nothing
#               else: PL/pgSQL that updates one stock row of 10,000 and
#               inserts an order, a line, an allocation and a ledger row
#               into plain tables (keys and the indexes a sale's rows need,
#               no checks, triggers or security)
# and prints TPS and the ratios sell spread / raw spread and sell hot /
# raw hot, and the same ratios of the naive reference, which show how
# close any allocation that writes a row can come on this machine.  Then it drains a second hot SKU (3,000 units, 16 clients,
# 4,000 attempts), prints how many attempts pgbench processed and how
# many failed on a deadlock, counts refusals made while units remained, and
# checks the ledger (verify_stock) and counts oversold units.  Each run
# starts after VACUUM and CHECKPOINT; the showroom tables keep growing
# from run to run.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}

if [ "${BENCH_INSIDE:-0}" != 1 ]; then
	make -s >/dev/null
	exec 9>/tmp/showroom-test.lock
	flock 9
	make -s install >/dev/null
	BENCH_INSIDE=1 exec tools/pg-sandbox --durable -- "$0" "$secs"
fi

PGBENCH=${SANDBOX_BIN:-/usr/lib/postgresql/15/bin}/pgbench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

# The data: one DC, one store, 10,000 SKUs of 1,000 units each, a hot SKU
# of 1,000,000 units in 32 slots, a SKU to drain, and the raw table.
q <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION showroom CASCADE;
INSERT INTO showroom.dc (code, name, location)
VALUES ('DC1', 'bench DC', 'SRID=4326;POINT(113.58 37.86)');
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('S1', 'bench store', 'SRID=4326;POINT(113.6 37.85)', 1);
INSERT INTO showroom.sku (code, name, category, list_price_fen)
SELECT 'SKU' || g, 'bench sku ' || g, 'air_conditioner', 100000
  FROM generate_series(1, 10002) g;
SELECT count(showroom.receive_stock(1, g, 1000)) FROM generate_series(1, 10000) g;
SELECT showroom.receive_stock(1, 10001, 1000000);
SELECT showroom.set_stock_slots(1, 10001, 32);
SELECT showroom.receive_stock(1, 10002, 3000);
SELECT showroom.set_stock_slots(1, 10002, 16);

CREATE TABLE public.bench_raw (id integer PRIMARY KEY, on_hand integer NOT NULL)
  WITH (fillfactor = 50);
INSERT INTO public.bench_raw SELECT g, 1000000 FROM generate_series(0, 10000) g;

-- The naive reference: one stock row per item (32 slots for the hot
-- one, item 0) and one row written per allocation.
CREATE TABLE public.naive_stock (id integer PRIMARY KEY, on_hand integer NOT NULL)
  WITH (fillfactor = 50);
INSERT INTO public.naive_stock SELECT g, 1000000 FROM generate_series(1, 10000) g;
CREATE TABLE public.naive_slot (slot integer PRIMARY KEY, on_hand integer NOT NULL)
  WITH (fillfactor = 50);
INSERT INTO public.naive_slot SELECT g, 1000000 FROM generate_series(0, 31) g;
CREATE TABLE public.naive_alloc (id bigserial PRIMARY KEY, item integer NOT NULL,
  qty integer NOT NULL, at timestamptz NOT NULL DEFAULT now());
CREATE FUNCTION public.naive_sell(item integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  left_units integer;
  alloc_id bigint;
BEGIN
  SELECT on_hand INTO left_units FROM public.naive_stock WHERE id = item FOR UPDATE;
  IF left_units < 1 THEN
    RAISE EXCEPTION 'out of stock' USING ERRCODE = 'SR101';
  END IF;
  UPDATE public.naive_stock SET on_hand = on_hand - 1 WHERE id = item;
  INSERT INTO public.naive_alloc (item, qty) VALUES (item, 1) RETURNING id INTO alloc_id;
  RETURN alloc_id;
END
$$;
CREATE FUNCTION public.naive_sell_hot() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  s integer := pg_backend_pid() % 32;
  alloc_id bigint;
BEGIN
  UPDATE public.naive_slot SET on_hand = on_hand - 1 WHERE slot = s AND on_hand > 0;
  IF NOT FOUND THEN
    SELECT slot INTO s FROM public.naive_slot WHERE on_hand > 0
     LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'out of stock' USING ERRCODE = 'SR101';
    END IF;
    UPDATE public.naive_slot SET on_hand = on_hand - 1 WHERE slot = s;
  END IF;
  INSERT INTO public.naive_alloc (item, qty) VALUES (0, 1) RETURNING id INTO alloc_id;
  RETURN alloc_id;
END
$$;

-- The bare rows of a sale.
CREATE TABLE public.bare_order (id bigserial PRIMARY KEY, store_id bigint NOT NULL,
  dc_id bigint NOT NULL, state text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE public.bare_line (id bigserial PRIMARY KEY, order_id bigint NOT NULL,
  line_no integer NOT NULL, item integer NOT NULL, qty integer NOT NULL,
  price_fen bigint NOT NULL, UNIQUE (order_id, line_no));
CREATE TABLE public.bare_alloc (id bigserial PRIMARY KEY, line_id bigint NOT NULL,
  order_id bigint NOT NULL, item integer NOT NULL, qty integer NOT NULL,
  open_qty integer NOT NULL);
CREATE INDEX ON public.bare_alloc (order_id);
CREATE TABLE public.bare_ledger (id bigserial PRIMARY KEY, item integer NOT NULL,
  kind text NOT NULL, qty integer NOT NULL, alloc_id bigint NOT NULL,
  at timestamptz NOT NULL DEFAULT now());
CREATE INDEX ON public.bare_ledger (item);
CREATE FUNCTION public.bare_sell(item integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  o bigint;
  l bigint;
  a bigint;
BEGIN
  UPDATE public.naive_stock SET on_hand = on_hand - 1 WHERE id = item AND on_hand >= 1;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'out of stock' USING ERRCODE = 'SR101';
  END IF;
  INSERT INTO public.bare_order (store_id, dc_id, state) VALUES (1, 1, 'open')
    RETURNING id INTO o;
  INSERT INTO public.bare_line (order_id, line_no, item, qty, price_fen)
    VALUES (o, 1, item, 1, 100000) RETURNING id INTO l;
  INSERT INTO public.bare_alloc (line_id, order_id, item, qty, open_qty)
    VALUES (l, o, item, 1, 1) RETURNING id INTO a;
  INSERT INTO public.bare_ledger (item, kind, qty, alloc_id)
    VALUES (item, 'allocation', 1, a);
  RETURN o;
END
$$;

CREATE ROLE bench_clerk LOGIN IN ROLE showroom_clerk;
SELECT showroom.map_login('bench_clerk', store_id => 1);

CREATE TABLE public.bench_refusal (available integer NOT NULL);
CREATE FUNCTION public.bench_try_sell(sku bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM showroom.sell(1, 113.6, 37.9, ARRAY[sku], '{1}');
EXCEPTION WHEN SQLSTATE 'SR101' THEN
  INSERT INTO public.bench_refusal
  SELECT sum(on_hand - allocated) FROM showroom.stock_balance WHERE sku_id = sku;
END
$$;
SQL

cat >"$work/raw_spread.sql" <<'SQL'
\set id random(1, 10000)
UPDATE public.bench_raw SET on_hand = on_hand - 1 WHERE id = :id AND on_hand > 0;
SQL
cat >"$work/raw_hot.sql" <<'SQL'
UPDATE public.bench_raw SET on_hand = on_hand - 1 WHERE id = 0 AND on_hand > 0;
SQL
cat >"$work/sell_spread.sql" <<'SQL'
\set sku random(1, 10000)
SELECT showroom.sell(1, 113.6, 37.9, ARRAY[:sku]::bigint[], '{1}');
SQL
cat >"$work/sell_hot.sql" <<'SQL'
SELECT showroom.sell(1, 113.6, 37.9, '{10001}', '{1}');
SQL
cat >"$work/naive_spread.sql" <<'SQL'
\set item random(1, 10000)
SELECT public.naive_sell(:item);
SQL
cat >"$work/naive_hot.sql" <<'SQL'
SELECT public.naive_sell_hot();
SQL
cat >"$work/bare_spread.sql" <<'SQL'
\set item random(1, 10000)
SELECT public.bare_sell(:item);
SQL
cat >"$work/drain.sql" <<'SQL'
SELECT public.bench_try_sell(10002);
SQL

# tps SCRIPT CLIENTS [USER]: run pgbench (as USER if given) and print its
# TPS; a run in which any client failed counts as 0, so that a failure
# cannot look fast.
tps() {
	q -c 'VACUUM' -c 'CHECKPOINT'
	local out
	out=$("$PGBENCH" -n -M prepared -j 2 -c "$2" -T "$secs" \
		${3:+-U "$3"} -f "$work/$1.sql" 2>&1) || {
		echo "$out" >&2
		echo 0
		return
	}
	echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | cut -d. -f1
}

# ratio A B: A / B to two places.
ratio() { echo "scale=2; $1 / $2" | bc; }

fmt='%-7s %10s %7s %11s %8s %12s %9s %11s %12s %6s %5s %8s %5s %6s %7s\n'
# shellcheck disable=SC2059
printf "$fmt" clients raw_spread raw_hot sell_spread sell_hot naive_spread \
	naive_hot bare_spread clerk_spread spread hot n_spread n_hot b_spread \
	c_spread
for c in 1 4 16; do
	rs=$(tps raw_spread $c)
	rh=$(tps raw_hot $c)
	ss=$(tps sell_spread $c)
	sh=$(tps sell_hot $c)
	ns=$(tps naive_spread $c)
	nh=$(tps naive_hot $c)
	bs=$(tps bare_spread $c)
	cs=$(tps sell_spread $c bench_clerk)
	# shellcheck disable=SC2059
	printf "$fmt" "$c" "$rs" "$rh" "$ss" "$sh" "$ns" "$nh" "$bs" "$cs" \
		"$(ratio "$ss" "$rs")" "$(ratio "$sh" "$rh")" \
		"$(ratio "$ns" "$rs")" "$(ratio "$nh" "$rh")" "$(ratio "$bs" "$rs")" \
		"$(ratio "$cs" "$rs")"
done
echo "spread = sell spread / raw spread (target 0.8); hot = sell hot / raw hot (target 3);"
echo "n_spread, n_hot: the same ratios of the naive one-row reference;"
echo "b_spread: bare rows / raw spread, about the most a sale that writes its rows"
echo "through SQL statements can reach; c_spread: clerk spread / raw spread."

# Drain: 16 clients make 4,000 attempts on 3,000 units.
# Any client that stops on an error other than SR101, and any attempt
# that failed on a deadlock (pgbench counts it and goes on), shows up here as
# fewer than 4000 transactions processed.
"$PGBENCH" -n -M prepared -j 2 -c 16 -t 250 --failures-detailed \
	-f "$work/drain.sql" 2>&1 |
	grep -E 'actually processed|failed|failures|aborted|ERROR' | sort | uniq -c || true
q <<'SQL'
SELECT format('drain: %s sold of 3000, %s refused, %s refused while units remained',
              (SELECT count(*) FROM showroom.sales_line WHERE sku_id = 10002),
              (SELECT count(*) FROM public.bench_refusal),
              (SELECT count(*) FROM public.bench_refusal WHERE available > 0));
SELECT format('ledger violations: %s', count(*)) FROM showroom.verify_stock();
SELECT format('oversold units: %s', coalesce(sum(greatest(a.units - r.units, 0)), 0))
  FROM (SELECT sku_id, sum(qty) AS units FROM showroom.allocation GROUP BY sku_id) a
  JOIN (SELECT sku_id, sum(d_on_hand) AS units FROM showroom.stock_movement
         WHERE kind IN ('receipt', 'transfer') GROUP BY sku_id) r USING (sku_id);
SQL
