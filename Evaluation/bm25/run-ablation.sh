#!/usr/bin/env bash
# Reproduces Evaluation/bm25/ablation.jsonl: the default analyzer, each step off in turn, the
# bigram-weight sweep and the other presets, on one corpus. Usage:
#   swift build -c release --product kohybrid && Evaluation/bm25/run-ablation.sh ../shared/corpora/kobest-boolq
set -euo pipefail
corpus=${1:?corpus directory}
bin=${KOHYBRID_BIN:-.build/release/kohybrid}
run() { "$bin" bench bm25 --corpus "$corpus" --json --repeats 1 "$@"; }
run
for step in scripts normalize particles endings dictionary stopwords words bigrams; do run --without "$step"; done
for weight in 0.25 0.5 1.0 1.5; do run --bigram-weight "$weight"; done
for preset in korean-no-bigrams bigram whitespace; do run --analyzer "$preset"; done
