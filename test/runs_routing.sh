#!/usr/bin/env bash
# runs_routing: the pure planner (src/routing.c) keeps capacities, windows
# and working hours and is deterministic on thousands of random days.
# Builds test/routing_check.c with src/routing.c alone, no server headers,
# which also proves that routing.c stays pure.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
cc -std=gnu99 -O2 -Wall -Wextra -Werror -Iinclude -o "$build/routing_check" \
	test/routing_check.c src/routing.c -lm
"$build/routing_check"
