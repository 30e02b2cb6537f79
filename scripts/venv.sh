#!/usr/bin/env bash
# Create or refresh the project's virtualenv (.venv) from requirements.lock (exact versions,
# checked by hash), then install the project itself on top, without resolving again.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=.venv/.installed-from
if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
if [[ ! -f $stamp ]] || ! cat requirements.lock pyproject.toml | cmp -s - "$stamp"; then
  pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
  "${pip[@]}" --require-hashes -r requirements.lock
  "${pip[@]}" --no-deps -e .
  cat requirements.lock pyproject.toml > "$stamp"
fi
