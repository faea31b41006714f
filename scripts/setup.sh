#!/usr/bin/env bash
# Make .venv (Python 3.10+) and install dynagen editable with the extras asked for.
# Usage: scripts/setup.sh [EXTRAS], default EXTRAS=codegen,test. Extras: codegen (the generator:
# Jinja2, PyYAML, black), test (pytest, moto, mypy, import-linter...; includes codegen),
# bench (PynamoDB; includes codegen). `pip install dynagen` alone is the runtime (boto3).
# Idempotent: a second run only checks. Says what it installs and when it is done; pip stays quiet.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
EXTRAS=${1:-codegen,test}
PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { echo "setup: Python 3.10+ is needed" >&2; exit 1; }

# pip's warnings about this machine's optional local index are noise; errors still show
quiet_pip() { .venv/bin/python -m pip "$@" 2>&1 | { grep -v "^WARNING: Location" || true; }; }

if [ ! -x .venv/bin/python ]; then
  echo "setup: making .venv with $("$PYTHON" --version)"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.dynagen-installed-$EXTRAS
if [ -f "$stamp" ] && [ ! pyproject.toml -nt "$stamp" ]; then
  echo "setup: .venv already has dynagen[$EXTRAS]"
  exit 0
fi
started=$SECONDS
echo "setup: upgrading pip in .venv"
quiet_pip install -q --upgrade pip
echo "setup: installing dynagen (editable) with extras [$EXTRAS] into .venv; this can take a minute"
quiet_pip install -q -e ".[$EXTRAS]"
touch "$stamp"
echo "setup: done in $((SECONDS - started))s: $(.venv/bin/python -m pip list 2>/dev/null | tail -n +3 | wc -l) packages in .venv"
