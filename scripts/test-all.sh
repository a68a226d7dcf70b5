#!/usr/bin/env bash
# `npm test`: everything CI runs, in order. Needs PostgreSQL on 127.0.0.1:5432 (TEST_POSTGRES_URL
# overrides) and Chromium at /usr/bin/chromium (CHROMIUM_PATH overrides); .ci/run installs both.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n=== %s ===\n' "$1"; }

step "typecheck";   npx tsc --noEmit
step "lint";        npx eslint . --max-warnings 0
step "unit";        npx vitest run --project unit
step "integration"; npx vitest run --project integration
step "build";       npx next build
step "end-to-end";  npx playwright test
