#!/usr/bin/env bash
# roles_cluster: the group roles on a server where several databases use
# showroom.  Runs in a throwaway cluster of its own, since it creates and
# drops roles, which belong to the whole server: two databases share the
# roles, DROP EXTENSION leaves them and nothing else, the removal command
# of doc/security.md fails while a database still uses them and works
# once none does, and the roles come back with the next install.  The
# creation and removal commands are read from doc/security.md, so the
# doc's commands are the ones tested.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--inside" ]; then
	exec env -u PGHOST -u PGPORT tools/pg-sandbox -- bash "$0" --inside
fi

# doc_block N: the N-th SQL block that doc/security.md marks as run here.
doc_block() {
	awk -v want="$1" '
		/test\/roles_cluster.sh runs the next block/ { mark = 1; next }
		mark && /^```sql/ { n++; inside = (n == want); mark = 0; next }
		inside && /^```/ { inside = 0; next }
		inside { print }
	' doc/security.md
}
create_roles=$(doc_block 1)
drop_roles=$(doc_block 2)
[ -n "$create_roles" ] && [ -n "$drop_roles" ] || {
	echo "roles_cluster: the marked blocks of doc/security.md are missing"; exit 1; }

q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
roles() { q -d postgres -c "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'showroom\_%'"; }
fail() { echo "roles_cluster: $*"; exit 1; }
install() { q -d "$1" -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION showroom CASCADE'; }

[ "$(roles)" = 0 ] || fail "a fresh cluster already has showroom roles"
createdb sr_a
createdb sr_b

# Two databases, one set of roles.
install sr_a
[ "$(roles)" = 7 ] || fail "the first install made $(roles) roles, not 7"
install sr_b
[ "$(roles)" = 7 ] || fail "the second install left $(roles) roles"
echo "roles_cluster: two databases installed, 7 roles shared"

# One login, a clerk in both; mapped to a store only in sr_a, so it sees
# the orders there and none in sr_b.
q -d postgres -c 'CREATE ROLE sr_multi LOGIN IN ROLE showroom_clerk'
for db in sr_a sr_b; do
	q -d $db <<'SQL'
INSERT INTO showroom.dc (code, name, location) VALUES ('D', 'dc', 'SRID=4326;POINT(113.5 37.8)');
INSERT INTO showroom.store (code, name, location, home_dc_id) VALUES ('S', 'store', 'SRID=4326;POINT(113.5 37.8)', 1);
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point) VALUES (1, 1, 'SRID=4326;POINT(113.5 37.8)');
SQL
done
q -d sr_a -c "SELECT showroom.map_login('sr_multi', store_id => 1)" >/dev/null
seen_a=$(q -d sr_a -U sr_multi -c 'SELECT count(*) FROM showroom.sales_order')
seen_b=$(q -d sr_b -U sr_multi -c 'SELECT count(*) FROM showroom.sales_order')
[ "$seen_a/$seen_b" = "1/0" ] || fail "the clerk saw $seen_a order(s) in sr_a and $seen_b in sr_b, not 1 and 0"
echo "roles_cluster: the same clerk sees 1 order where it is mapped, 0 where it is not"

# Dropping the extension in one database leaves the roles to the other.
q -d sr_a -c 'DROP EXTENSION showroom'
[ "$(roles)" = 7 ] || fail "DROP EXTENSION in sr_a left $(roles) roles"
left=$(q -d sr_a -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'showroom'")
[ "$left" = 0 ] || fail "DROP EXTENSION left the schema behind"
seen_b=$(q -d sr_b -U sr_multi -c 'SELECT count(*) FROM showroom.sales_order')
[ "$seen_b" = 0 ] || fail "sr_b stopped working after the drop in sr_a"

# The documented removal fails while sr_b uses the roles, and drops none.
if out=$(q -d postgres -c "$drop_roles" 2>&1); then
	fail "DROP ROLE succeeded while sr_b still has showroom"
fi
echo "$out" | grep -q 'cannot be dropped because some objects depend on it' ||
	fail "DROP ROLE failed for another reason: $out"
echo "$out" | grep -q 'database sr_b' || fail "the error does not name sr_b: $out"
[ "$(roles)" = 7 ] || fail "the failed DROP ROLE removed some roles"
echo "roles_cluster: the documented DROP ROLE refuses while sr_b uses the roles"

# Once no database uses them, nothing of ours refers to them any more,
# and the documented removal works; the member login stays.
q -d sr_b -c 'DROP EXTENSION showroom'
deps=$(q -d postgres -c "SELECT count(*) FROM pg_shdepend d JOIN pg_roles r
	ON d.refclassid = 'pg_authid'::regclass AND d.refobjid = r.oid
	WHERE r.rolname LIKE 'showroom\_%'")
[ "$deps" = 0 ] || fail "$deps objects still refer to the roles after both drops"
q -d postgres -c "$drop_roles"
[ "$(roles)" = 0 ] || fail "the documented DROP ROLE left $(roles) roles"
q -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'sr_multi'" | grep -q 1 ||
	fail "the member login was dropped too"
echo "roles_cluster: after both drops the documented DROP ROLE removes all 7"

# The next install creates them again; roles made in advance with the
# documented commands are taken as they are.
install sr_b
[ "$(roles)" = 7 ] || fail "a reinstall made $(roles) roles"
q -d sr_b -c 'DROP EXTENSION showroom'
q -d postgres -c "$drop_roles"
q -d postgres -c "$create_roles"
install sr_a
[ "$(roles)" = 7 ] || fail "install over roles made in advance left $(roles) roles"
made=$(q -d sr_a -c "SELECT count(*) FROM pg_policy WHERE polrelid = 'showroom.sales_order'::regclass")
[ "$made" -gt 0 ] || fail "install over roles made in advance made no policies"
echo "roles_cluster: reinstall recreates the roles; roles made in advance are used"
