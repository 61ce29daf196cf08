#!/usr/bin/env bash
# Every test: the Swift suites, the Python client and chromadb's own client against a real
# `kohybrid serve` (pytest), and a bounded schemathesis fuzz of the server's OpenAPI document.
# Makes the Python environment itself (scripts/peers-venv.sh); services are started and stopped
# by the tests on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(bash scripts/peers-venv.sh)
export KOHYBRID_PEERS_PYTHON="$python"
"$python" -m pip install -q --disable-pip-version-check ./Clients/python

swift build --build-tests -j 2
swift test --skip-build
export KOHYBRID_BIN="$PWD/.build/debug/kohybrid"
"$python" -m pytest -q Clients/python/tests
MAX_EXAMPLES=${MAX_EXAMPLES:-60} PYTHON="$python" bash Evaluation/serve/fuzz.sh
