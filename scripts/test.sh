#!/usr/bin/env bash
# Sets everything up and runs every check: type check, lint, formatting, unit and database
# tests (SQLite always; PostgreSQL too when BACKSTAGE_TEST_DATABASE_POSTGRES*_CONNECTION_STRING
# is set) and the browser tests against a running Backstage.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "test: installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

step() { echo; echo "=== $*"; }

step "type check (tsc)"
yarn tsc

step "lint (backstage-cli repo lint)"
yarn backstage-cli repo lint

step "formatting (prettier)"
yarn prettier:check

# Fails when src/schema/openapi.yaml and the generated router types or client
# disagree; the route test (src/service/router.test.ts) checks the served routes.
step "API contract (OpenAPI spec vs generated code)"
yarn openapi:check

step "unit and database tests"
if env | grep -q '^BACKSTAGE_TEST_DATABASE_POSTGRES.*_CONNECTION_STRING='; then
  echo "database tests run on SQLite and PostgreSQL"
else
  echo "database tests run on SQLite only (set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING to add PostgreSQL)"
fi
# No Docker here: databases come only from the connection strings above.
export BACKSTAGE_TEST_DISABLE_DOCKER=1
# --verbose lists each test, so the log shows which database each store test ran on.
CI=true yarn backstage-cli repo test --ci --verbose

step "browser tests (Playwright + Chromium)"
yarn playwright test
