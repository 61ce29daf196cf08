#!/usr/bin/env bash
# libFuzzer campaign over KoHybrid's readers of user data (issue 12), beyond the bounded seeded
# harness that `swift test` runs (Tests/KoHybridFuzzTests).
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...]
#   TARGET: filter | jsonl | pickle | chroma-directory | all
#
# Builds Fuzz/ (its own package, so plain `swift build` never needs the fuzzer runtime) in release
# with -sanitize=fuzzer into .build-fuzz/, writes each target's seeds (the same ones the harness
# uses: valid filters, the Chroma fixtures' exports and pickles), keeps the growing corpus in
# .build-fuzz/corpus/TARGET and any crashing input in .build-fuzz/crashes/TARGET/. Prints the
# executions run; exits non-zero if a target crashed. Needs ../shared (or $KOHYBRID_SHARED).
# Replay one input: .build-fuzz/release/KoHybridFuzz TARGET FILE
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
target=$1 seconds=$2
shift 2
case "$target" in
  all) targets=(filter jsonl pickle chroma-directory) ;;
  filter|jsonl|pickle|chroma-directory) targets=("$target") ;;
  *) echo "unknown target $target (filter, jsonl, pickle, chroma-directory or all)" >&2; exit 2 ;;
esac

scratch=$PWD/.build-fuzz
# The Swift runtime names an executable's main <module>_main and aliases main to it; libFuzzer
# brings its own main, so the link allows both (ours runs and calls LLVMFuzzerRunDriver). lld,
# because gold crashes formatting that diagnostic. -enable-testing: the pickle and export
# readers are internal.
echo "building the fuzzers (release, -sanitize=fuzzer) in $scratch ..." >&2
(cd Fuzz && swift build -c release --scratch-path "$scratch" \
  -Xswiftc -sanitize=fuzzer -Xswiftc -enable-testing -Xswiftc -use-ld=lld \
  -Xlinker --allow-multiple-definition 2>&1 | grep -E "error|warning: unre|Compiling KoHybridFuzz|Build" >&2) || true
binary=$scratch/release/KoHybridFuzz
[ -x "$binary" ] || { echo "build failed" >&2; exit 1; }

status=0
for t in "${targets[@]}"; do
  corpus=$scratch/corpus/$t crashes=$scratch/crashes/$t
  mkdir -p "$corpus" "$crashes"
  "$binary" "$t" --seeds "$scratch/corpus/$t-seeds" >&2
  log=$scratch/fuzz-$t.log
  set +e
  SWIFT_BACKTRACE=enable=no "$binary" "$t" -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=20 \
    -artifact_prefix="$crashes/" -print_final_stats=1 "$@" "$corpus" "$scratch/corpus/$t-seeds" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
  found=$(find "$crashes" -type f | wc -l)
  echo "fuzz $t: $runs executions in ${seconds} s, exit $rc, $found crashing inputs in $crashes (log $log)"
  [ "$rc" -eq 0 ] && [ "$found" -eq 0 ] || status=1
done
exit $status
