#!/usr/bin/env bash
# Refresh requirements.lock from pyproject.toml: every dependency pinned, with hashes.
# Run after changing a dependency in pyproject.toml (or to take upstream releases on purpose),
# then `scripts/venv.sh` and the tests, and commit both files together.
set -euo pipefail
cd "$(dirname "$0")/.."

tools=.cache/lock-tools
if [[ ! -x $tools/bin/uv ]]; then
  python3 -m venv "$tools"
  "$tools/bin/python" -m pip install --quiet --disable-pip-version-check 'uv==0.13.9'
fi
"$tools/bin/uv" pip compile pyproject.toml --extra test --generate-hashes \
  --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
  --custom-compile-command "scripts/lock.sh" --quiet -o requirements.lock
echo "requirements.lock refreshed; now run scripts/venv.sh and the tests"
