#!/usr/bin/env bash
# The main job, on a fresh machine and without an AWS account: install dynagen, build the example
# specs into generated_example/, start DynamoDB Local, and run a short tour of the generated code.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
scripts/setup.sh codegen
echo "== dynagen build specs/ -o generated_example/"
.venv/bin/dynagen build specs/ -o generated_example/
echo "== starting DynamoDB Local"
export AWS_ENDPOINT_URL_DYNAMODB
AWS_ENDPOINT_URL_DYNAMODB=$(scripts/dynamodb_local.sh start)
trap 'scripts/dynamodb_local.sh stop' EXIT
echo "   $AWS_ENDPOINT_URL_DYNAMODB"
AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_DEFAULT_REGION=us-east-1 \
  .venv/bin/python scripts/demo.py
