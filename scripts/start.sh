#!/usr/bin/env bash
# The one start command (README: npm start): stores, dependencies, migrations, generated code, then
# every subgraph and the gateway under scripts/dev-runner.ts (output prefixed per service; a service
# that exits is restarted with back-off, the others keep running). Ctrl-C or SIGTERM stops them all.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export ONNXRUNTIME_NODE_INSTALL=skip

bash scripts/services.sh up
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
bash scripts/prisma-generate.sh
# Idempotent; also here for a node_modules installed before the patch existed or with --ignore-scripts.
node packages/authz/scripts/patch-graphql-shield.mjs >/dev/null
npx graphql-codegen --config codegen.yml --silent
npx tsx scripts/migrate.ts "${DATABASE_URL:-postgresql://baas:baas@127.0.0.1:5432/baas}"
npx tsx scripts/seed-dev.ts "${DATABASE_URL:-postgresql://baas:baas@127.0.0.1:5432/baas}"

# Development secrets, made once and kept under .data/ (git-ignored). Production sets its own.
mkdir -p .data/dev
[ -f .data/dev/internal-secret ] || openssl rand -hex 32 > .data/dev/internal-secret
[ -f .data/dev/jwt-private.pem ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out .data/dev/jwt-private.pem 2>/dev/null
[ -f .data/dev/ledger-checkpoint.pem ] || openssl genpkey -algorithm ED25519 -out .data/dev/ledger-checkpoint.pem 2>/dev/null
[ -f .data/dev/pii-keys ] || echo "dev1:$(openssl rand -base64 32)" > .data/dev/pii-keys
[ -f .data/dev/pii-blind-index-key ] || openssl rand -base64 32 > .data/dev/pii-blind-index-key
chmod 600 .data/dev/*
export INTERNAL_IDENTITY_SECRET="${INTERNAL_IDENTITY_SECRET:-$(cat .data/dev/internal-secret)}"
export JWT_PRIVATE_KEY="${JWT_PRIVATE_KEY:-$(cat .data/dev/jwt-private.pem)}"
export PII_KEYS="${PII_KEYS:-$(cat .data/dev/pii-keys)}"
export PII_BLIND_INDEX_KEY="${PII_BLIND_INDEX_KEY:-$(cat .data/dev/pii-blind-index-key)}"
export LEDGER_CHECKPOINT_KEY="${LEDGER_CHECKPOINT_KEY:-$(cat .data/dev/ledger-checkpoint.pem)}"
export NODE_ENV="${NODE_ENV:-development}"
# The development sink serves what identity "sent" (one-time codes, magic links) at
# http://127.0.0.1:4101/dev/notifications?to=<e-mail or phone>.
export DEV_NOTIFICATION_SINK="${DEV_NOTIFICATION_SINK:-true}"
export GATEWAY_PORT="${PORT:-4000}"
unset PORT # each subgraph has its own default port (schema/subgraphs.ts)

# The runner replaces this shell, so Ctrl-C and SIGTERM reach it directly; it prints the addresses
# once the gateway is ready.
exec node --import tsx scripts/dev-runner.ts
