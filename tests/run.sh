#!/usr/bin/env bash
# The whole test suite on a fresh machine: Debian chromium for the browser tests and PostgreSQL for
# the store tests (if missing), a virtual environment with the pinned requirements and the project
# (editable), the lifelines oracle in its own environment, then ruff and pytest.
# Extra arguments go to pytest, e.g. the fast tier: bash tests/run.sh -m "not browser and not slow"
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
updated=""
install() {  # install Debian packages by name (apt-get update once)
  [ -n "$updated" ] || { $sudo apt-get update -qq; updated=1; }
  $sudo apt-get install -y -qq "$@" >/dev/null
}
# The browser tests are part of the suite: no chromium, no run.
command -v chromium >/dev/null 2>&1 || install chromium
# The PostgreSQL store tests skip with a loud reason only when the server cannot be installed.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || install postgresql ||
  echo "WARNING: could not install postgresql; the PostgreSQL store tests are SKIPPED" >&2

pip() { "$1/bin/pip" install -q --disable-pip-version-check "${@:2}"; }
python3 -m venv .venv
pip .venv -r requirements-dev.txt
# lifelines (the test oracle) needs pandas < 3: it gets an environment of its own.
python3 -m venv .venv-oracle
pip .venv-oracle -r requirements-oracle.txt

.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
