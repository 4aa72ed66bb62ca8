#!/usr/bin/env bash
# jdbc_reports: a BI tool's view of showroom.  Through the PostgreSQL JDBC
# driver (Debian's libpostgresql-jdbc-java), a login in showroom_reporting
# lists every view of schema showroom and its columns with
# DatabaseMetaData, reads every row of each, and is refused every table
# and every party's security_invoker copy (test/jdbc/ReportClient.java).
# Views that later rooms add are covered without a change here; the
# fixtures give them rows.  The report views of doc/reports.md are named
# below: each must be there and return rows, so a report that goes
# missing fails the test.
#
# It connects over the cluster's unix socket, with junixsocket (Debian's
# libjunixsocket-java) as the driver's socket factory, so no TCP port is
# opened.  When PGHOST names a host rather than a socket folder, it
# connects there over TCP instead.  As root it installs what is missing:
# the driver, junixsocket, and a JDK when there is no javac.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libpostgresql-jdbc-java libjunixsocket-java)
command -v javac >/dev/null 2>&1 || packages+=(default-jdk-headless)
tools/install-deps "${packages[@]}"

db=sr_jdbc
login=sr_jdbc_bi
work=$(mktemp -d)
cleanup() {
	rm -rf "$work"
	dropdb --if-exists $db
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $login"
}
export PGOPTIONS='-c client_min_messages=warning'
trap cleanup EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

dropdb --if-exists $db
psql -X -q -d postgres -c "DROP ROLE IF EXISTS $login"
createdb $db
q -d $db -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION showroom CASCADE'
for f in test/fixtures/fill_*.sql; do
	q -d $db -f "$f" >/dev/null
done
q -d postgres -c "CREATE ROLE $login LOGIN IN ROLE showroom_reporting"
views=$(q -d $db -c "SELECT count(*) FROM pg_class
	WHERE relnamespace = 'showroom'::regnamespace AND relkind IN ('v', 'm')
	  AND has_table_privilege('showroom_reporting', oid, 'SELECT')")
reports=stock_position,store_display,inventory_turnover,sales_daily,deliveries_daily
reports=$reports,outlet_load_week,unserved_orders,dispatch_backlog,outlet_performance
reports=$reports,statement_report,central_whatif,central_whatif_dc
reports=$reports,statement_totals,finance_export,cod_reconciliation
party=$(q -d $db -c "SELECT coalesce(string_agg(relname, ',' ORDER BY relname), '')
	FROM pg_class WHERE relnamespace = 'showroom'::regnamespace
	  AND relkind = 'v' AND reloptions @> '{security_invoker=true}'")
[ -n "$party" ] || { echo "jdbc_reports: the catalog lists no party view"; exit 1; }

javac -d "$work" test/jdbc/ReportClient.java

jars=/usr/share/java/postgresql.jar:/usr/share/java/junixsocket-common.jar
jni=$(dirname "$(dpkg -L libjunixsocket-jni | grep '\.so$' | head -n 1)")
if [ "${PGHOST:-/}" = "${PGHOST#/}" ] && [ -n "${PGHOST:-}" ]; then
	url="jdbc:postgresql://$PGHOST:${PGPORT:-5432}/$db?user=$login"
else
	sock="${PGHOST:-/var/run/postgresql}/.s.PGSQL.${PGPORT:-5432}"
	factory='org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg'
	url="jdbc:postgresql://localhost/$db?user=$login&sslmode=disable"
	url="$url&socketFactory=$factory&socketFactoryArg=$sock"
fi
client() {
	java -Djava.library.path="$jni" -cp "$work:$jars" ReportClient "$url" "$views" \
		"${1:-$reports}" "$party"
}
client

# The client can fail: with a view taken away, a table and a party's view
# given (with the tables the view reads, so that it can be read), and a
# report it does not find, it must report all four and exit non-zero.
q -d $db -c "REVOKE SELECT ON showroom.settings FROM showroom_reporting" \
	-c "GRANT SELECT ON showroom.sku TO $login" \
	-c "GRANT SELECT ON showroom.my_store_display, showroom.setting_default,
		showroom.setting, showroom.sample, showroom.sample_request, showroom.store TO $login"
if out=$(client "$reports,no_such_report" 2>&1); then
	echo "jdbc_reports: the client passed with a view refused, a table granted and a report missing"
	echo "$out"
	exit 1
fi
echo "$out" | grep -q 'PROBLEM: view settings cannot be read: 42501' &&
	echo "$out" | grep -q 'PROBLEM: table sku can be read' &&
	echo "$out" | grep -q 'PROBLEM: view my_store_display can be read' &&
	echo "$out" | grep -q 'PROBLEM: report view no_such_report is missing' || {
	echo "jdbc_reports: the client failed, but not as it should:"; echo "$out"; exit 1; }
echo "jdbc_reports: control: the client reports a refused view, a readable table, a party's view and a missing report"
