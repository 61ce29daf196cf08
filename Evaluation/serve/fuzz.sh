#!/usr/bin/env bash
# Fuzzes `kohybrid serve` with schemathesis against its own OpenAPI document (GET /openapi.json):
# every operation gets generated valid and invalid requests; the run fails on any 5xx, crash or
# response that breaks the document. Bounded by MAX_EXAMPLES per operation (default 60).
#   KOHYBRID_BIN=.build/debug/kohybrid PYTHON=~/.cache/kohybrid/peers-venv/bin/python Evaluation/serve/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${KOHYBRID_BIN:-.build/debug/kohybrid}
python=${PYTHON:-$(bash scripts/peers-venv.sh --print)}
examples=${MAX_EXAMPLES:-60}
work=$(mktemp -d)
log="$work/serve.log"
"$bin" serve --store "$work/store" --port 0 2>"$log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
[ -n "$url" ] || { echo "server did not start:"; cat "$log"; exit 1; }
# A collection to aim at, so record operations get past "not found" (its UUID is the first one).
curl -sf -X POST "$url/api/v2/tenants/default_tenant/databases/default_database/collections" \
  -H 'Content-Type: application/json' -d '{"name":"docs","metadata":{"hnsw:space":"cosine"}}' >/dev/null
curl -sf -X POST "$url/api/v2/tenants/default_tenant/databases/default_database/collections/00000000-0000-4000-8000-000000000001/add" \
  -H 'Content-Type: application/json' \
  -d '{"ids":["a","b"],"embeddings":[[1,0,0],[0,1,0]],"documents":["스시 오마카세","우니 덮밥"],"metadatas":[{"price":1},null]}' >/dev/null
start=$(date +%s)
(cd "$work" && "$(dirname "$python")/schemathesis" run "$url/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$examples" --seed 20261201 --request-timeout 10 --generation-allow-x00 true \
  --wait-for-schema 10 --no-color) 2>&1 | tee "$work/fuzz.log" | tail -25
status=${PIPESTATUS[0]}
echo "fuzz: $(( $(date +%s) - start )) s, server still running: $(kill -0 $pid 2>/dev/null && echo yes || echo no)"
kill -0 $pid 2>/dev/null || { echo "the server died:"; tail -20 "$log"; exit 1; }
exit "$status"
