#!/usr/bin/env bash
# errcodes: every SQLSTATE of class SR that the C headers define or the SQL
# raises is documented in doc/errors.md, and every documented code exists.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

grep -hoE "SR_ERRCODE\('[0-9]', '[0-9]', '[0-9]'\)" include/*.h |
	tr -d "SR_ERRCODE(' ,)" | sed 's/^/SR/' | sort -u >"$tmp/defined"
grep -rhoE "ERRCODE = 'SR[0-9]{3}'|SQLSTATE '?SR[0-9]{3}" src/sql |
	grep -oE 'SR[0-9]{3}' | sort -u >"$tmp/raised"
grep -oE '^\| SR[0-9]{3} ' doc/errors.md | tr -d '| ' | sort >"$tmp/documented"

bad=0
if [ -n "$(uniq -d "$tmp/documented")" ]; then
	echo "errcodes: documented twice: $(uniq -d "$tmp/documented" | xargs)"
	bad=1
fi
for f in defined raised; do
	missing=$(sort -u "$tmp/documented" | comm -23 "$tmp/$f" -)
	if [ -n "$missing" ]; then
		echo "errcodes: $f but not in doc/errors.md: $(echo $missing)"
		bad=1
	fi
done
stray=$(sort -u "$tmp/defined" "$tmp/raised" | comm -13 - "$tmp/documented")
if [ -n "$stray" ]; then
	echo "errcodes: documented but neither defined nor raised: $(echo $stray)"
	bad=1
fi
echo "errcodes: $(wc -l <"$tmp/documented") codes documented, $(wc -l <"$tmp/defined") defined in C, $(wc -l <"$tmp/raised") raised in SQL"
exit $bad
