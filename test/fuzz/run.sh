#!/usr/bin/env bash
# run.sh: build the tariff fuzzer and run it for a bounded time (default
# 45 seconds, so that CI finishes in under a minute) over the seed corpus
# in test/fuzz/corpus.  New inputs it finds go to a scratch directory, not
# into the repository.  Exits non-zero if the fuzzer finds a crash.
#
#   test/fuzz/run.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-45}

make -s tariff_fuzz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./tariff_fuzz -max_total_time="$seconds" -max_len=4096 -timeout=5 \
	-artifact_prefix="$work/" -print_final_stats=1 \
	"$work" corpus 2>&1 | tail -n 15
