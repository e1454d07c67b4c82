#!/usr/bin/env bash
# The one test command (README, .ci/run): installs and starts the stores, installs dependencies,
# generates code, type-checks, then runs every test file with node's test runner.
#   scripts/test.sh                 every test
#   scripts/test.sh path/to/x.test.ts ...   only those files
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1 ONNXRUNTIME_NODE_INSTALL=skip

step() { printf '\n== %s\n' "$*"; }

step "stores"
bash scripts/services.sh up
bash scripts/services.sh status
command -v chromium >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || echo "chromium could not be installed: e2e/gateway/cors-browser.test.ts will skip"  # headless browser for the CORS test

step "dependencies"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

step "code generation (Prisma clients, resolver types, SDK)"
bash scripts/prisma-generate.sh
# Idempotent; also here for a node_modules installed before the patch existed or with --ignore-scripts.
node packages/authz/scripts/patch-graphql-shield.mjs >/dev/null
npx graphql-codegen --config codegen.yml --silent

step "type check"
npx tsc -p tsconfig.json --noEmit
npx tsc -p bench/tsconfig.hive.json --noEmit

step "tests"
if [ "$#" -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.test.ts' | sort)
fi
# Each file runs in its own process with its own database (see packages/testing).
exec node --import tsx --test --test-reporter=spec --test-concurrency=3 "${files[@]}"
