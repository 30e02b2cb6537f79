#!/usr/bin/env bash
# Create or refresh the project's virtualenv (.venv) when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=.venv/.installed-from
if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
if [[ ! -f $stamp ]] || ! cmp -s pyproject.toml "$stamp"; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
  cp pyproject.toml "$stamp"
fi
