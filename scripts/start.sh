#!/usr/bin/env bash
# Quick start: sets everything up, then starts Backstage with embedded SQLite
# (frontend http://localhost:3000, backend http://localhost:7007). Once the
# backend is ready, scripts/seed-demo.mjs gives the demo Records their history
# through the Integration API in the background (idempotent; set
# PHASET_DEMO_SEED=0 to skip it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
if [ "${PHASET_DEMO_SEED:-1}" != 0 ]; then
  node "$(dirname "${BASH_SOURCE[0]}")/seed-demo.mjs" &
fi
exec yarn start "$@"
