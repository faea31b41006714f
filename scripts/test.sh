#!/usr/bin/env bash
# The whole test command: install, start DynamoDB Local, run the suite (moto and DynamoDB Local;
# the integration tests a second time with the direct transport and orjson off),
# then the checks CI holds us to: import contracts, mypy --strict, black, generated_example/ drift.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
scripts/setup.sh codegen,test,bench
echo "== DynamoDB Local"
export DYNAGEN_TEST_DDB_ENDPOINT
DYNAGEN_TEST_DDB_ENDPOINT=$(scripts/dynamodb_local.sh start)
trap 'scripts/dynamodb_local.sh stop' EXIT
echo "   $DYNAGEN_TEST_DDB_ENDPOINT"
PY=.venv/bin/python

echo "== pytest"
$PY -m pytest -q -n 2 "$@"

echo "== pytest tests/integration again, through botocore and the standard library's JSON"
DYNAGEN_TRANSPORT=botocore DYNAGEN_JSON=stdlib $PY -m pytest -q -n 2 tests/integration "$@"

echo "== lint-imports (the import contracts in pyproject.toml)"
.venv/bin/lint-imports --no-logo --cache-dir .cache/import-linter

echo "== mypy --strict (dynagen/, generated_example/, tests/typing/accept/, benchmarks/)"
$PY -m mypy --strict dynagen generated_example tests/typing/accept benchmarks

echo "== black --check"
$PY -m black --check -q dynagen generated_example tests scripts benchmarks

echo "== drift: generated_example/ against dynagen build specs/"
$PY -m dynagen check specs/ -o generated_example/
$PY -m dynagen check benchmarks/specs/ -o benchmarks/generated/
echo "test.sh: all green"
