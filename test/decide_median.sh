#!/usr/bin/env bash
# decide_median: the pure medians (src/median.c) find the optimum of the
# 1-median and a pair of sites each optimal for its own points, on
# thousands of random instances.  Builds test/median_check.c with
# src/median.c alone, no server headers, which also proves that median.c
# stays pure.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
cc -std=gnu99 -O2 -Wall -Wextra -Werror -Iinclude -o "$build/median_check" \
	test/median_check.c src/median.c -lm
"$build/median_check"
