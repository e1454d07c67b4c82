#!/usr/bin/env bash
# Writes prisma/<domain>/migrations/<timestamp>_<name>/migration.sql: the SQL from the committed
# migrations to the current prisma/<domain>/schema.prisma, rendered by Prisma 6.19 (offline; a
# throwaway shadow database on the local PostgreSQL replays the committed migrations).
#   tools/prisma6/new-migration.sh <domain> <name> [--shadow-url postgresql://baas:baas@127.0.0.1:5432/baas]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT" # so --import tsx resolves from the root node_modules
exec node --import tsx tools/prisma6/src/new-migration-cli.ts "$@"
