#!/usr/bin/env bash
# dispatch_relay: the notices of dispatch reach a LISTENing session only
# after the dispatching transaction commits, once each, in both ways of
# sending them (dispatch.notify_relay on: through outlet_notice and the
# relay worker; off: NOTIFY in the transaction itself).
#
# A listener psql reads its commands from a fifo; each check makes it run
# a query (psql prints notifications after a query) and compares what it
# heard since the last check with what must have been sent, waiting up to
# five seconds for the relay.  Also: a relay does not leave while a
# dispatch that found it running is still open.  Runs in its own database.
set -euo pipefail
db=showroom_relay_check
work=$(mktemp -d)
listener=
cleanup() {
	exec 3>&- 2>/dev/null || true
	[ -n "$listener" ] && wait "$listener" 2>/dev/null || true
	dropdb --if-exists "$db" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
export PGDATABASE=$db
dropdb --if-exists "$db" 2>/dev/null
createdb "$db"

q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
fail=0
# check LABEL EXPECTED ACTUAL: print the verdict of one case.
check() {
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		echo "FAILED: $1"
		echo "  expected: $2"
		echo "  got:      $3"
		fail=1
	fi
}

q <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION showroom CASCADE;
SELECT showroom.add_outlet('A', 'alpha', 113.3, 37.7, 1, 5),
       showroom.add_outlet('B', 'bravo', 113.6, 37.7, 0, 5);
SELECT showroom.add_service_area(id, code, 'SRID=4326;POLYGON((113 37.5,114 37.5,114 38,113 38,113 37.5))')
  FROM showroom.outlet;
SELECT showroom.set_capability(id, 'installation', 'air_conditioner', 3) FROM showroom.outlet;
INSERT INTO showroom.service_order (id, kind, category, point, service_date)
SELECT i, 'installation', 'air_conditioner', 'SRID=4326;POINT(113.5 37.7)', '2026-06-01'
  FROM generate_series(1, 8) i;
SQL

# The listener: LISTENs on both outlets' channels.
mkfifo "$work/in"
psql -X -q -At <"$work/in" >"$work/out" 2>&1 &
listener=$!
exec 3>"$work/in"
marks=0
echo 'LISTEN showroom_outlet_1; LISTEN showroom_outlet_2;' >&3

# heard N: what the listener heard since the last call, as
# "channel payload" lines joined by "; ", waiting until N new ones are
# there (or five seconds).  It runs in a subshell ($(heard N)), so the
# count of lines already reported is kept in a file.
echo 0 >"$work/seen"
heard() {
	local all tries=0 seen
	seen=$(cat "$work/seen")
	while :; do
		marks=$((marks + 1))
		echo "SELECT 1 \\g /dev/null" >&3
		echo "\\echo mark-$marks" >&3
		until grep -q "^mark-$marks\$" "$work/out"; do sleep 0.05; done
		all=$(sed -n 's/^Asynchronous notification "\([^"]*\)" with payload "\([^"]*\)" received.*/\1 \2/p' "$work/out")
		if [ "$(printf '%s' "$all" | grep -c .)" -ge $((seen + $1)) ] || [ $tries -ge 100 ]; then
			break
		fi
		tries=$((tries + 1))
		sleep 0.05
	done
	printf '%s\n' "$all" | grep . | tail -n +$((seen + 1)) | paste -sd ';' | sed 's/;/; /g'  || true
	printf '%s' "$all" | grep -c . >"$work/seen" || true
}
heard 0 >/dev/null

# open_session NAME SQL: start a second psql that reads its commands from
# the fifo $work/NAME (written through descriptor 4), run SQL in it and
# return once that has run, leaving the session open; close_session
# [SQL] runs SQL in it, if given, and ends it.  One at a time.
open_session() {
	mkfifo "$work/$1"
	q <"$work/$1" >"$work/$1.out" 2>&1 &
	session=$!
	exec 4>"$work/$1"
	echo "$2 \\echo ran-$1" >&4
	until grep -q "^ran-$1\$" "$work/$1.out"; do sleep 0.05; done
}
close_session() {
	if [ -n "${1:-}" ]; then echo "$1" >&4; fi
	exec 4>&-
	wait "$session"
}
# stop_relays: end every relay of the database and wait until they are gone.
stop_relays() {
	q -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	       WHERE backend_type = 'showroom notice relay' AND datname = current_database()" >/dev/null
	while [ "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'showroom notice relay' AND datname = current_database()")" != 0 ]; do
		sleep 0.05
	done
}

echo "== relay on"
q -c "SELECT showroom.set_setting('dispatch.notify_relay', 'true')" >/dev/null
relay=$(q -c "SELECT showroom.start_relay()")
again=$(q -c "SELECT showroom.start_relay()")
check "start_relay twice gives the one running relay" "$relay" "$again"
check "the relay is a background worker of this database" "showroom notice relay" \
	"$(q -c "SELECT backend_type FROM pg_stat_activity WHERE pid = $relay AND datname = current_database()")"

# A rolled-back dispatch leaves no notice and is never heard.
q -c "BEGIN; SELECT showroom.dispatch(1); ROLLBACK;" >/dev/null
# A committed one is heard once, from the relay.
q -c "SELECT showroom.dispatch(2)" >/dev/null
check "rollback: nothing; commit: one notice" "showroom_outlet_1 assigned 2" "$(heard 1)"
check "the relay sent it and left no notice behind" "0" "$(q -c "SELECT count(*) FROM showroom.outlet_notice")"
sleep 0.3
check "nothing more arrives later" "" "$(heard 0)"

# An open transaction's notice is not heard before its commit.
open_session tx "BEGIN; SELECT showroom.dispatch(3);"
sleep 0.3
check "open transaction: nothing heard yet" "" "$(heard 0)"
close_session "COMMIT;"
check "after its commit: heard once" "showroom_outlet_1 assigned 3" "$(heard 1)"

# A reassignment: the old outlet hears withdrawn before the new one hears
# assigned; batch dispatch announces each order.
q -c "SELECT showroom.reassign(3, 2, 'customer prefers B')" >/dev/null
check "reassign: withdrawn, then assigned" \
	"showroom_outlet_1 withdrawn 3; showroom_outlet_2 assigned 3" "$(heard 2)"
q -c "SELECT * FROM showroom.dispatch_date('2026-06-01')" >/dev/null
check "batch: one notice per order, in order id order" \
	"showroom_outlet_1 assigned 1; showroom_outlet_1 assigned 4; showroom_outlet_1 assigned 5; showroom_outlet_1 assigned 6; showroom_outlet_2 assigned 7; showroom_outlet_2 assigned 8" \
	"$(heard 6)"

# The relay ends (here by force); the next dispatch starts another.
stop_relays
q -c "INSERT INTO showroom.service_order (id, kind, category, point, service_date)
      VALUES (9, 'installation', 'air_conditioner', 'SRID=4326;POINT(113.5 37.7)', '2026-06-02');
      SELECT showroom.dispatch(9)" >/dev/null
check "relay gone: the next dispatch starts one, and it is heard" "showroom_outlet_1 assigned 9" "$(heard 1)"
check "one relay runs again" "1" \
	"$(q -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'showroom notice relay'")"

# A dispatch still open when the relay has been idle long enough to
# leave: the relay stays until that transaction ends, then sends its
# notice (else the notice would wait for some later dispatch).
q -c "INSERT INTO showroom.service_order (id, kind, category, point, service_date)
      VALUES (12, 'installation', 'air_conditioner', 'SRID=4326;POINT(113.5 37.7)', '2026-06-02')" >/dev/null
relay=$(q -c "SELECT showroom.start_relay()")
open_session tx2 "BEGIN; SELECT showroom.dispatch(12);"
sleep 3.5
check "idle with a dispatch open: the relay stays" "$relay" \
	"$(q -c "SELECT string_agg(pid::text, ' ') FROM pg_stat_activity WHERE backend_type = 'showroom notice relay'")"
close_session "COMMIT;"
check "after its commit: heard once, from that relay" "showroom_outlet_1 assigned 12" "$(heard 1)"

# A session holding advisory locks with the relay's keys neither passes
# for a running relay nor holds dispatch up: the relay's locks are of a
# kind no SQL function takes.
stop_relays
open_session fake "SELECT pg_advisory_lock(1936224119, 1919249529), pg_advisory_lock(1936224119, 2003989618);"
q -c "INSERT INTO showroom.service_order (id, kind, category, point, service_date)
      VALUES (13, 'installation', 'air_conditioner', 'SRID=4326;POINT(113.5 37.7)', '2026-06-02')" >/dev/null
check "keys taken by a session: dispatch is not held up" "1" \
	"$(q -c "SET statement_timeout = '5s'; SELECT showroom.dispatch(13)" | tail -1)"
check "and a relay starts and sends the notice" "showroom_outlet_1 assigned 13" "$(heard 1)"
close_session

echo "== relay off"
q -c "SELECT showroom.set_setting('dispatch.notify_relay', 'false')" >/dev/null
q -c "INSERT INTO showroom.service_order (id, kind, category, point, service_date)
      SELECT i, 'installation', 'air_conditioner', 'SRID=4326;POINT(113.5 37.7)', '2026-06-02'
        FROM generate_series(10, 11) i" >/dev/null
q -c "BEGIN; SELECT showroom.dispatch(10); ROLLBACK;" >/dev/null
q -c "SELECT showroom.dispatch(11)" >/dev/null
check "direct: rollback nothing, commit one" "showroom_outlet_1 assigned 11" "$(heard 1)"
check "direct: no notice queued" "0" "$(q -c "SELECT count(*) FROM showroom.outlet_notice")"

# An idle relay leaves after three seconds, so DROP DATABASE is not held.
sleep 3.5
check "the idle relay has left" "0" \
	"$(q -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'showroom notice relay'")"

exit $fail
