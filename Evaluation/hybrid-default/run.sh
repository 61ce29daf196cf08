#!/usr/bin/env bash
# Every measurement in README.md: kohybrid eval on the three sets (with the fusion sweeps, so the
# report ends with its recommendation) and the robustness variants, then the tables.
#   swift build -c release && Evaluation/hybrid-default/run.sh
# Env: KOHYBRID (binary, default .build/release/kohybrid), SHARED (default ../shared),
#      PYTHON (numpy; default ~/.cache/kohybrid/peers-venv/bin/python), VARIANTS (scratch folder).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${KOHYBRID:-.build/release/kohybrid}
S=${SHARED:-../shared}
PY=${PYTHON:-$HOME/.cache/kohybrid/peers-venv/bin/python}
V=${VARIANTS:-${TMPDIR:-/tmp}/kohybrid-variants}
OUT=Evaluation/hybrid-default/results
mkdir -p "$OUT"
"$PY" Evaluation/hybrid-default/make_variants.py "$S/corpora/kobest-boolq" "$V"
ev() { local name=$1; shift; echo "== $name" >&2; "$B" eval --json "$@" > "$OUT/$name.json"; }
ev kobest-boolq --corpus "$S/corpora/kobest-boolq" --sweep alpha,weights,rrf-k
ev shops --corpus Corpora/shops --sweep alpha,weights,rrf-k
ev ko-paraphrase --corpus "$S/corpora/ko-paraphrase" --sweep alpha,weights,rrf-k
ev kobest-weak --corpus "$V/kobest-weak"
ev kobest-weaker --corpus "$V/kobest-weaker"
ev kobest-boolq-whitespace --corpus "$S/corpora/kobest-boolq" --analyzer whitespace
ev ko-paraphrase-bigram --corpus "$S/corpora/ko-paraphrase" --analyzer bigram
"$B" bench fusion --corpus "$S/corpora/kobest-boolq" > "$OUT/bench-fusion-kobest-boolq.jsonl"
"$B" bench fusion --corpus "$S/corpora/ko-paraphrase" > "$OUT/bench-fusion-ko-paraphrase.jsonl"
python3 Evaluation/hybrid-default/table.py "$OUT"
