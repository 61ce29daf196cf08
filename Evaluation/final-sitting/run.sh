#!/usr/bin/env bash
# Every benchmark of the project beside its peer, in one sitting (release build).
# Raw outputs land in $OUT (default /tmp/kohybrid-final); the committed copies are beside this file.
set -x
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=${OUT:-/tmp/kohybrid-final}; mkdir -p "$OUT"
swift build -c release --product kohybrid > $OUT/build.log 2>&1
B=.build/release/kohybrid
P=${PEERS_PYTHON:?set PEERS_PYTHON to the Python that ../shared/peers/setup.sh prints}
S=${KOHYBRID_SHARED:-$(pwd)/../shared}
date > $OUT/start
# BM25
$B bench bm25 --corpus $S/corpora/kobest-boolq --json --repeats 3 > $OUT/bm25.json
(cd $S/peers && $P $ROOT/Evaluation/bm25/peers_cpu_time.py --corpus ../corpora/kobest-boolq --tokenizer kiwi --engines tantivy,bm25s --k 10) > $OUT/bm25_peers_cpu.jsonl
(cd $S/peers && $P bm25_peers.py --corpus ../corpora/kobest-boolq --tokenizer kiwi --engines tantivy --k 10) > $OUT/bm25_peers_wall.jsonl
# Hybrid quality
$B eval --corpus $S/corpora/kobest-boolq --no-report --json > $OUT/eval_kobest.json
$B eval --corpus Corpora/shops --no-report --json > $OUT/eval_shops.json
(cd $S/peers && /usr/bin/time -f "%e s" $P hybrid_peers.py --corpus ../corpora/kobest-boolq) > $OUT/hybrid_peers.jsonl 2> $OUT/hybrid_peers.time
/usr/bin/time -f "%e s" $B eval --corpus $S/corpora/kobest-boolq --no-report > /dev/null 2> $OUT/eval_kobest.time
# Store
rm -rf $OUT/store60k
$B bench search --corpus $S/corpora/kobest-boolq --records 60000 --store $OUT/store60k --json > $OUT/search60k.json
rm -rf $OUT/chroma-x
(cd $S/peers && $P chroma_peer.py --corpus ../corpora/kobest-boolq --path $OUT/chroma-x) > $OUT/chroma.jsonl
# ANN
(cd $S/peers && $P ann_peers.py --base ../corpora/kobest-boolq/corpus.e5-small.f32 --queries ../corpora/kobest-boolq/queries.e5-small.f32 --dim 384 --M 16 --ef-construction 200 --ef 16,32,64,128,256 --engines hnswlib) > $OUT/ann_kobest_hnswlib.jsonl
$B bench ann --base $S/corpora/kobest-boolq/corpus.e5-small.f32 --query-vectors $S/corpora/kobest-boolq/queries.e5-small.f32 --dim 384 --M 16 --ef-construction 200 --ef 16,32,64,128,256 --json > $OUT/ann_kobest_ours.jsonl
(cd $S/peers && $P ann_peers.py --base ../corpora/nsmc-reviews/vectors.e5-small.f32 --holdout 1000 --dim 384 --M 16 --ef-construction 200 --ef 16,32,64,128,256 --engines hnswlib) > $OUT/ann_nsmc_hnswlib.jsonl
$B bench ann --base $S/corpora/nsmc-reviews/vectors.e5-small.f32 --holdout 1000 --dim 384 --M 16 --ef-construction 200 --ef 16,32,64,128,256 --json > $OUT/ann_nsmc_ours.jsonl
date > $OUT/end
