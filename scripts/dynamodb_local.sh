#!/usr/bin/env bash
# DynamoDB Local, the AWS emulator, from the npm package amplify-dynamodb-simulator (which bundles it).
# Used by the tests, the demo, the benchmarks and CI alike.
#
#   scripts/dynamodb_local.sh start   # fetch if needed, start in memory, wait until it answers; prints the endpoint
#   scripts/dynamodb_local.sh stop
#   scripts/dynamodb_local.sh status
#
# Port: $DYNAGEN_DDB_PORT (default 8765). Files: $DYNAGEN_CACHE (default .cache/) /dynamodb-local.
# It runs with -disableTelemetry and in that folder: what it writes next to itself (its
# dynamodb-local-metadata.json) stays there, never in the caller's folder. Progress goes to stderr;
# stdout is the endpoint alone.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VERSION=2.9.30
HOME_DIR=${DYNAGEN_CACHE:-$ROOT/.cache}/dynamodb-local
case $HOME_DIR in /*) ;; *) HOME_DIR=$PWD/$HOME_DIR ;; esac  # the server runs in it: absolute
PKG=$HOME_DIR/package
PORT=${DYNAGEN_DDB_PORT:-8765}
PIDFILE=$HOME_DIR/pid.$PORT
LOG=$HOME_DIR/log.$PORT
ENDPOINT=http://127.0.0.1:$PORT

fetch() {
  if [ -f "$PKG/emulator/DynamoDBLocal.jar" ]; then return; fi
  command -v npm >/dev/null || { echo "dynamodb_local: npm is needed to fetch DynamoDB Local" >&2; exit 1; }
  mkdir -p "$HOME_DIR"
  echo "dynamodb_local: fetching DynamoDB Local (npm amplify-dynamodb-simulator@$VERSION) into $HOME_DIR, once" >&2
  (cd "$HOME_DIR" && npm pack "amplify-dynamodb-simulator@$VERSION" --silent >/dev/null \
     && tar xzf "amplify-dynamodb-simulator-$VERSION.tgz" && rm -f "amplify-dynamodb-simulator-$VERSION.tgz")
  echo "dynamodb_local: fetched" >&2
}

ensure_java() {
  if command -v java >/dev/null; then return; fi
  echo "dynamodb_local: installing a Java runtime (apt-get)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  echo "dynamodb_local: Java installed" >&2
}

answers() {
  python3 - "$PORT" <<'PY'
import json, sys, urllib.request
request = urllib.request.Request(
    f"http://127.0.0.1:{sys.argv[1]}/",
    data=b"{}",
    headers={"X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": "application/x-amz-json-1.0",
             "Authorization": "AWS4-HMAC-SHA256 Credential=fake/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x"},
)
try:
    with urllib.request.urlopen(request, timeout=2) as response:
        json.load(response)
except Exception:
    sys.exit(1)
PY
}

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

start() {
  # Already answering (ours, or another checkout's on the same port): use it as it is.
  if answers; then echo "$ENDPOINT"; return; fi
  fetch
  ensure_java
  mkdir -p "$HOME_DIR"
  (cd "$HOME_DIR" && exec nohup java -Djava.library.path="$PKG/emulator/DynamoDBLocal_lib" \
    -jar "$PKG/emulator/DynamoDBLocal.jar" -inMemory -disableTelemetry -port "$PORT" >"$LOG" 2>&1) &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 300); do
    if answers; then echo "$ENDPOINT"; return; fi
    if ! running; then echo "dynamodb_local: exited early; log:" >&2; cat "$LOG" >&2; exit 1; fi
    sleep 0.2
  done
  echo "dynamodb_local: no answer on $ENDPOINT after 60s; log:" >&2; cat "$LOG" >&2; exit 1
}

stop() {
  if running; then kill "$(cat "$PIDFILE")" && sleep 0.3; fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running && answers; then echo "running at $ENDPOINT"; else echo "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
