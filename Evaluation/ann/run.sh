#!/usr/bin/env bash
# Runs hnswlib (via ../shared/peers/ann_peers.py) and `kohybrid bench ann` back to back on the
# same vectors, so their numbers come from one sitting. Raw JSON lines go to results/.
#
#   swift build -c release --product kohybrid
#   Evaluation/ann/run.sh            # both corpora, ROUNDS=2 rounds of (hnswlib, kohybrid)
#   python3 Evaluation/ann/table.py  # prints the Markdown tables for README.md
#
# PREFIX names the result files (results/<PREFIX><corpus>.jsonl); REPEATS=5 times each ef five
# times on both sides and keeps the best pass (hnswlib through hnswlib_best_of.py, which builds
# exactly as ann_peers.py does); CHURN=0.3 adds, after the
# rounds, the delete / re-insert run on nsmc-reviews for both engines (results/<PREFIX>churn.jsonl).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
shared="${KOHYBRID_SHARED:-$root/../shared}"
python="${PEERS_PYTHON:?set PEERS_PYTHON to the Python that ../shared/peers/setup.sh prints (hnswlib, faiss, usearch)}"
out="$root/Evaluation/ann/results"
mkdir -p "$out"
bin="$root/.build/release/kohybrid"
efs="16,32,64,128,256"
PREFIX="${PREFIX:-}"

run_pair() {  # name, then the arguments both tools share
    local name="$1"; shift
    if [ -n "${REPEATS:-}" ]; then   # best of REPEATS query passes per ef, on both sides
        "$python" "$root/Evaluation/ann/hnswlib_best_of.py" "$@" --M 16 --ef-construction 200 --ef "$efs" \
            --repeats "$REPEATS" >> "$out/$PREFIX$name.jsonl"
        "$bin" bench ann "$@" --M 16 --ef-construction 200 --ef "$efs" --repeats "$REPEATS" --json >> "$out/$PREFIX$name.jsonl"
        return
    fi
    (cd "$shared/peers" && "$python" ann_peers.py "$@" --M 16 --ef-construction 200 --ef "$efs" --engines hnswlib) \
        >> "$out/$PREFIX$name.jsonl"
    "$bin" bench ann "$@" --M 16 --ef-construction 200 --ef "$efs" --json >> "$out/$PREFIX$name.jsonl"
}

boolq="$shared/corpora/kobest-boolq"
nsmc="$shared/corpora/nsmc-reviews/vectors.e5-small.f32"
rounds="${ROUNDS:-2}"
for _ in $(seq "$rounds"); do
    run_pair kobest-boolq --base "$boolq/corpus.e5-small.f32" --queries "$boolq/queries.e5-small.f32" --dim 384
    run_pair nsmc-reviews --base "$nsmc" --dim 384 --holdout 1000
done
if [ -n "${CHURN:-}" ]; then
    "$python" "$root/Evaluation/ann/churn_hnswlib.py" --base "$nsmc" --dim 384 --holdout 1000 \
        --churn "$CHURN" --ef 64,128,256 >> "$out/${PREFIX}churn.jsonl"
    "$bin" bench ann --base "$nsmc" --dim 384 --holdout 1000 --M 16 --ef-construction 200 \
        --ef 64,128,256 --churn "$CHURN" --json >> "$out/${PREFIX}churn.jsonl"
fi
