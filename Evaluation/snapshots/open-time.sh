#!/usr/bin/env bash
# Cold-process search time with a published snapshot, after the snapshots are lost (first
# search rebuilds), and for the next process (which loads what the first one published, if it
# did). Release build; one JSON object per measurement on stdout.
#
#   Evaluation/snapshots/open-time.sh [KOHYBRID_BINARY] [BEIR_CORPUS_DIR]
#
# Defaults: .build/release/kohybrid and ../shared/corpora/kobest-boolq. Compare two builds by
# running it once with each binary (the ratio between their numbers is what to quote).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${1:-$root/.build/release/kohybrid}"
corpus="${2:-$root/../shared/corpora/kobest-boolq}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
store="$work/store"
query="콜라독립 출시"

seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
report() { printf '{"binary":"%s","step":"%s","seconds":%.3f}\n' "$bin" "$1" "$2"; }

report ingest "$(seconds "$bin" ingest --store "$store" --collection c --corpus "$corpus")"
for i in 1 2 3; do
  report "search with snapshot ($i)" "$(seconds "$bin" search --store "$store" --collection c --text "$query" --mode sparse)"
done
rm -rf "$store/indexes"
report "search after snapshots lost: 1st process" "$(seconds "$bin" search --store "$store" --collection c --text "$query" --mode sparse)"
report "search after snapshots lost: 2nd process" "$(seconds "$bin" search --store "$store" --collection c --text "$query" --mode sparse)"
report "search after snapshots lost: 3rd process" "$(seconds "$bin" search --store "$store" --collection c --text "$query" --mode sparse)"
