#!/usr/bin/env bash
# Makes (once) the small Python environment that tests compare against: bm25s for BM25 scores,
# pytrec_eval for trec_eval's metrics. Prints the interpreter path with --print.
# Location: $KOHYBRID_PEERS_VENV, default ~/.cache/kohybrid/peers-venv.
set -euo pipefail
venv=${KOHYBRID_PEERS_VENV:-$HOME/.cache/kohybrid/peers-venv}
if [ "${1:-}" = "--print" ]; then echo "$venv/bin/python"; exit 0; fi
if ! "$venv/bin/python" -c "import bm25s, pytrec_eval, numpy, scipy" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check \
    numpy scipy bm25s==0.3.16 pytrec-eval-terrier==0.5.11
fi
echo "$venv/bin/python"
