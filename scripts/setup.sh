#!/usr/bin/env bash
# Make .venv (Python 3.10+) and install dynagen with what the tests, the demo and the checks need.
# Idempotent: a second run only checks. Usage: scripts/setup.sh [EXTRAS], default EXTRAS=test.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
EXTRAS=${1:-test}
PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { echo "setup: Python 3.10+ is needed" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.dynagen-installed-$EXTRAS
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  # (grep drops pip's warnings about this machine's optional local index; errors still show)
  .venv/bin/python -m pip install -q --upgrade pip 2>&1 | { grep -v "^WARNING: Location" || true; }
  .venv/bin/python -m pip install -q -e ".[$EXTRAS]" 2>&1 | { grep -v "^WARNING: Location" || true; }
  touch "$stamp"
fi
