#!/usr/bin/env bash
# The benchmark suite in one command on a fresh clone: install the generator and PynamoDB (the
# codegen and bench extras), then `python -m benchmarks` (which starts DynamoDB Local with
# scripts/dynamodb_local.sh).
# Flags pass through: scripts/bench.sh --quick, --only codec,endtoend, ...
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
scripts/setup.sh codegen,bench
exec .venv/bin/python -m benchmarks "$@"
