#!/usr/bin/env bash
# `make test`: lint, type-check, then the whole suite with a local OpenSearch node (scripts/opensearch.sh)
# that is stopped when the run ends, whether the tests pass, fail or are interrupted.
#
# OPENSEARCH_URL already set: that server is used and no node is started. OPENSEARCH_TEST_PORT: the test
# node's HTTP port (default 9260, transport +100), apart from `make opensearch`'s 9250. The failover and
# engine-down tests start nodes of their own from the same install (tests/opensearch/local_nodes.py): HTTP ports
# OPENSEARCH_SPARE_PORT (default 9280) to +3, transport 10 above each. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.venv/bin}"
PORT="${OPENSEARCH_TEST_PORT:-9260}"
NODE=pledges-test

"$BIN/ruff" check .
"$BIN/ruff" format --check .
"$BIN/mypy"

if [[ -z "${OPENSEARCH_URL:-}" ]]; then
  trap 'scripts/opensearch.sh stop --name "$NODE"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  scripts/opensearch.sh start --name "$NODE" --cluster pledges-test --port "$PORT" --fresh
  scripts/opensearch.sh wait --name "$NODE" --port "$PORT"
  export OPENSEARCH_URL="http://127.0.0.1:$PORT"
fi
echo "Running the suite with OPENSEARCH_URL=$OPENSEARCH_URL"
"$BIN/pytest" -q "$@"
