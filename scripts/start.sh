#!/usr/bin/env bash
# Quick start: sets everything up, then starts Backstage with embedded SQLite
# (frontend http://localhost:3000, backend http://localhost:7007).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
exec yarn start "$@"
