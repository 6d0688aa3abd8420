#!/usr/bin/env bash
# The whole test suite on a fresh machine: Debian chromium for the browser tests and PostgreSQL for
# the store tests (if missing), a virtual environment with the pinned requirements, then pytest.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
need=""
command -v chromium >/dev/null 2>&1 || need="chromium"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
if [ -n "$need" ]; then
  # shellcheck disable=SC2086  # $need is a list of package names
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq $need >/dev/null; } ||
    echo "WARNING: could not install $need; the tests that need it are skipped" >&2
fi

python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
exec .venv/bin/python -m pytest "$@"
