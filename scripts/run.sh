#!/usr/bin/env bash
# Index the bundled corpus into the embedded store, then serve the API and the UI on 127.0.0.1 until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
API_PORT="${PLEDGES_API_PORT:-8000}"
UI_PORT="${PLEDGES_UI_PORT:-8501}"
export PLEDGES_API_URL="${PLEDGES_API_URL:-http://127.0.0.1:${API_PORT}}"

status=0
"$BIN/pledges" index || status=$?
if [ "$status" -eq 1 ]; then
  echo "Some records were rejected: see the report above; the rest is indexed."
elif [ "$status" -ne 0 ]; then
  echo "The store could not be written (see the error above); nothing is served." >&2
  exit "$status"
fi

"$BIN/pledges" serve --port "$API_PORT" &
api_pid=$!
trap 'kill "$api_pid" 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 120); do
  if curl -fsS "$PLEDGES_API_URL/ready" >/dev/null 2>&1; then break; fi
  kill -0 "$api_pid" 2>/dev/null || { echo "The API did not start." >&2; exit 1; }
  sleep 0.5
done
echo "API: $PLEDGES_API_URL/docs    UI: http://127.0.0.1:${UI_PORT}"
"$BIN/pledges" ui --port "$UI_PORT" --api-url "$PLEDGES_API_URL"
