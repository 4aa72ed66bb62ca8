#!/usr/bin/env bash
# readme_tour: the SQL tour in README.md runs as written on a fresh
# database.  Every statement must succeed except the one the tour says
# fails, which must fail with SR101.
set -euo pipefail
cd "$(dirname "$0")/.."
db=showroom_tour
dropdb --if-exists "$db" 2>/dev/null
createdb "$db"
trap 'dropdb --if-exists "$db"' EXIT
sql=$(sed -n '/<!-- tour -->/,/<!-- \/tour -->/p' README.md | sed '1,2d;$d' | sed '$d')
out=$(printf '%s\n' "$sql" | psql -X -d "$db" -v VERBOSITY=verbose 2>&1)
errors=$(printf '%s\n' "$out" | grep -E '^ERROR:' || true)
if [ "$(printf '%s\n' "$errors" | grep -c .)" -ne 1 ] ||
	! printf '%s\n' "$errors" | grep -q 'ERROR:  SR101:'; then
	printf '%s\n' "$out"
	echo "readme_tour: expected exactly one error, SR101; got:"
	printf '%s\n' "$errors"
	exit 1
fi
# The dispatch and the crew's three moves: four trail rows, one order done.
got=$(psql -X -At -d "$db" -c "SELECT count(*), string_agg(DISTINCT so.state, ',')
                                   FROM showroom.service_trail t
                                   JOIN showroom.service_order so ON so.id = t.order_id")
if [ "$got" != "4|done" ]; then
	printf '%s\n' "$out"
	echo "readme_tour: expected 4 trail rows of a done order, got $got"
	exit 1
fi
echo "readme_tour: the tour ran; the one failure was SR101; 4 trail rows"
