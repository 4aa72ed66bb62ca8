#!/usr/bin/env bash
# upgrade: ALTER EXTENSION showroom UPDATE from every earlier released
# version yields the same objects as a fresh install of the current one.
#
# Earlier versions are the frozen install scripts versions/showroom--V.sql;
# upgrade scripts are versions/showroom--A--B.sql.  Objects are compared
# by test/describe_extension.sql (definitions, columns, constraints,
# indexes, triggers, policies, privileges, comments, seeded rows).  While
# only one version exists, the fresh install is compared with a second
# fresh install, which proves the description deterministic, and the
# upgrade scripts present are checked to form a chain.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
dbs=()
cleanup() {
	rm -rf "$work"
	for d in ${dbs[@]+"${dbs[@]}"}; do dropdb --if-exists "$d"; done
}
trap cleanup EXIT

current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" showroom.control)
[ -n "$current" ] || { echo "upgrade: no default_version in showroom.control"; exit 1; }

# install DB [VERSION]: a new database with showroom at VERSION (default:
# the current one).
install() {
	dbs+=("$1")
	dropdb --if-exists "$1"
	createdb "$1"
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c 'SET client_min_messages = warning' \
		-c "CREATE EXTENSION showroom ${2:+VERSION '$2'} CASCADE"
}
describe() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f test/describe_extension.sql >"$2"
}

install sr_up_fresh
describe sr_up_fresh "$work/fresh.txt"
lines=$(wc -l <"$work/fresh.txt")
[ "$lines" -gt 50 ] || { echo "upgrade: description has only $lines lines"; exit 1; }

# Every upgrade script must start at a version we can install or reach,
# and every earlier version must reach the current one.
earlier=$(ls versions/ 2>/dev/null | sed -n 's/^showroom--\([^-]*\)\.sql$/\1/p' |
	grep -vx "$current" | sort -V || true)
for s in $(ls versions/ 2>/dev/null | grep -- '--.*--' || true); do
	from=$(echo "$s" | sed 's/^showroom--\(.*\)--\(.*\)\.sql$/\1/')
	if ! echo "$earlier" | grep -qx "$from"; then
		echo "upgrade: $s starts at $from, which has no frozen install script"
		exit 1
	fi
done

if [ -z "$earlier" ]; then
	install sr_up_again
	describe sr_up_again "$work/again.txt"
	if ! diff -u "$work/fresh.txt" "$work/again.txt"; then
		echo "upgrade: two fresh installs of $current differ"
		exit 1
	fi
	echo "upgrade: only version $current exists; two installs agree on $lines facts"
	exit 0
fi

for v in $earlier; do
	db="sr_up_$(echo "$v" | tr -c 'a-z0-9\n' '_')"
	install "$db" "$v"
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'ALTER EXTENSION showroom UPDATE'
	got=$(psql -X -At -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'showroom'")
	[ "$got" = "$current" ] || { echo "upgrade: from $v reached $got, not $current"; exit 1; }
	describe "$db" "$work/from-$v.txt"
	if ! diff -u "$work/fresh.txt" "$work/from-$v.txt"; then
		echo "upgrade: $v updated to $current differs from a fresh install"
		exit 1
	fi
	echo "upgrade: $v -> $current matches a fresh install ($lines facts)"
done
