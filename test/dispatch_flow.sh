#!/usr/bin/env bash
# dispatch_flow: check showroom.dispatch_date against brute force on small
# random instances.  For each instance (2-4 overlapping outlets with
# capacity 0-3, 3-8 orders) every assignment of orders to their eligible
# outlets is enumerated; the best serves the most orders and, among those,
# has the least sum of ranks (ranks from showroom.candidates).  The batch
# must reach exactly that (served, rank sum).  Runs in its own database.
set -euo pipefail
db=showroom_flow_check
dropdb --if-exists "$db" 2>/dev/null
createdb "$db"
trap 'dropdb --if-exists "$db"' EXIT
PGDATABASE=$db python3 - <<'PY'
import itertools, random, subprocess

def psql(sql):
    r = subprocess.run(['psql', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql],
                       capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(r.stderr)
    return r.stdout.strip()

def rows(sql):
    return [l.split('|') for l in psql(sql).split('\n') if l]

psql("SET client_min_messages = warning; CREATE EXTENSION showroom CASCADE")
trials, bad = 40, 0
for trial in range(trials):
    rnd = random.Random(trial)
    # The workflow's audit trail refuses TRUNCATE (its trigger); a fresh
    # instance needs it empty, so the wipe runs with triggers off.
    psql("SET session_replication_role = replica;"
         " TRUNCATE showroom.dispatch_log, showroom.booking, showroom.dispatch_pending,"
         " showroom.outlet_load, showroom.outlet_kind_load, showroom.service_order,"
         " showroom.capability, showroom.outlet_capacity, showroom.service_area,"
         " showroom.outlet CASCADE")
    for i in range(rnd.randint(2, 4)):
        x0, w = rnd.uniform(0, 0.6), rnd.uniform(0.3, 0.6)
        psql(f"SELECT showroom.add_service_area(showroom.add_outlet('O{i}', 'o', "
             f"{113 + rnd.uniform(0, 1)}, 37.5, {rnd.randint(0, 1)}, {rnd.randint(0, 3)}), "
             f"'a', ST_MakeEnvelope({113 + x0}, 37, {113 + x0 + w}, 38, 4326))")
        psql(f"SELECT showroom.set_capability(id, 'installation', 'air_conditioner', "
             f"{rnd.randint(1, 5)}) FROM showroom.outlet WHERE code = 'O{i}'")
    for j in range(rnd.randint(3, 8)):
        psql("INSERT INTO showroom.service_order (kind, category, point, service_date) "
             f"VALUES ('installation', 'air_conditioner', ST_SetSRID(ST_MakePoint("
             f"{113 + rnd.uniform(0, 1.2)}, 37.5), 4326), '2026-06-01')")
    orders = [int(r[0]) for r in rows("SELECT id FROM showroom.service_order ORDER BY id")]
    caps = {int(a): int(b) for a, b in rows("SELECT id, daily_capacity FROM showroom.outlet")}
    ranks = {o: {int(a): int(b) for a, b in rows(
        f"SELECT outlet_id, rank FROM showroom.candidates({o}) WHERE rank IS NOT NULL")}
        for o in orders}
    best = None
    for combo in itertools.product(*[[None] + list(ranks[o]) for o in orders]):
        used = {}
        for c in combo:
            if c is not None:
                used[c] = used.get(c, 0) + 1
        if any(n > caps[c] for c, n in used.items()):
            continue
        key = (sum(c is not None for c in combo),
               -sum(ranks[o][c] for o, c in zip(orders, combo) if c is not None))
        best = key if best is None or key > best else best
    psql("SELECT showroom.dispatch_date('2026-06-01')")
    n, s = rows("SELECT count(*), coalesce(sum(rank), 0) FROM showroom.dispatch_log")[0]
    got = (int(n), -int(s))
    if got != best:
        bad += 1
        print(f"trial {trial}: batch served {got[0]} with rank sum {-got[1]}, "
              f"best is {best[0]} with {-best[1]}")
print(f"{trials} instances, {bad} mismatches")
raise SystemExit(1 if bad else 0)
PY
