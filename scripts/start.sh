#!/usr/bin/env bash
# The one start command (README: npm start): stores, dependencies, migrations, generated code, then
# every subgraph and the gateway (run by turbo, output prefixed per service). Ctrl-C stops them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export TURBO_TELEMETRY_DISABLED=1 ONNXRUNTIME_NODE_INSTALL=skip

bash scripts/services.sh up
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
bash scripts/prisma-generate.sh
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
PORT_GATEWAY="${PORT:-4000}"
unset PORT # each subgraph has its own default port (schema/subgraphs.ts)

npx turbo run start --filter='./subgraphs/*' --env-mode=loose --concurrency=20 --output-logs=full --log-prefix=task &
TURBO_PID=$!
PORT="$PORT_GATEWAY" npx tsx gateway/src/main.ts &
GATEWAY_PID=$!
trap 'kill -TERM $TURBO_PID $GATEWAY_PID 2>/dev/null; wait 2>/dev/null' INT TERM EXIT

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:${PORT_GATEWAY}/readyz" >/dev/null 2>&1; then break; fi
  kill -0 $TURBO_PID 2>/dev/null && kill -0 $GATEWAY_PID 2>/dev/null || { echo "a service exited; see its output above" >&2; exit 1; }
  sleep 1
done
cat <<BANNER

  BaaS supergraph is up.
    GraphQL endpoint : http://localhost:${PORT_GATEWAY}/graphql
    GraphQL IDE      : http://localhost:${PORT_GATEWAY}/ide
    Health/readiness : http://localhost:${PORT_GATEWAY}/healthz  /readyz   Metrics: /metrics
    A token for the IDE (Authorization: Bearer ...), for the sandbox customer:
      npx tsx scripts/mint-token.ts --kind customer --subject 00000000-0000-7000-8000-000000000002 --tenant 00000000-0000-7000-8000-000000000001
    then query: { me { displayName tenant { name } accounts { currency branch number checkDigit } } }
    Stores: bash scripts/services.sh status

BANNER
wait -n $TURBO_PID $GATEWAY_PID
