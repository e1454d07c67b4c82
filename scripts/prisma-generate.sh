#!/usr/bin/env bash
# Generates the Prisma 7 client of every prisma/<domain>/schema.prisma into the output its
# generator block names (subgraphs/<domain>/src/generated/prisma, git-ignored). Offline: the CLI
# only needs PRISMA_SCHEMA_ENGINE_BINARY to name an existing file to stop downloading engines,
# and `generate` never runs it. Idempotent and fast: a schema whose client was generated from
# the same schema text by the same Prisma version is skipped (FORCE=1 regenerates all).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PRISMA="$ROOT/node_modules/.bin/prisma"
[ -x "$PRISMA" ] || { echo "[prisma-generate] $PRISMA missing; run npm install" >&2; exit 1; }
PRISMA_VERSION="$(node -p "require('$ROOT/node_modules/prisma/package.json').version")"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/baas-prisma-generate.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
: >"$TMP/engine-stub"
chmod +x "$TMP/engine-stub"

# the output folder a schema's generator block names, relative to the schema
output_of() {
  sed -n 's/^[[:space:]]*output[[:space:]]*=[[:space:]]*"\(.*\)".*/\1/p' "$1" | head -n 1
}

pids=()
names=()
for schema in prisma/*/schema.prisma; do
  domain="$(basename "$(dirname "$schema")")"
  output="$(output_of "$schema")"
  [ -n "$output" ] || { echo "[prisma-generate] $schema: generator has no output" >&2; exit 1; }
  out_dir="$(dirname "$schema")/$output"
  stamp="$out_dir/.schema-stamp"
  want="$PRISMA_VERSION $(sha256sum "$schema" | cut -d' ' -f1)"
  if [ "${FORCE:-0}" != 1 ] && [ -f "$stamp" ] && [ -f "$out_dir/client.ts" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "[prisma-generate] $domain: up to date"
    continue
  fi
  # Prisma refuses to write into a folder it does not recognise (e.g. a half-deleted client)
  case "$out_dir" in
    */generated/*) rm -rf "$out_dir" ;;
    *) echo "[prisma-generate] $schema: output $output is not under a generated/ folder; not clearing it" >&2 ;;
  esac
  (
    PRISMA_SCHEMA_ENGINE_BINARY="$TMP/engine-stub" PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1 \
      "$PRISMA" generate --schema "$schema" >"$TMP/$domain.log" 2>&1 &&
      printf '%s\n' "$want" >"$stamp"
  ) &
  pids+=("$!")
  names+=("$domain")
done

failed=0
for i in "${!pids[@]}"; do
  if wait "${pids[$i]}"; then
    echo "[prisma-generate] ${names[$i]}: generated"
  else
    failed=1
    echo "[prisma-generate] ${names[$i]}: failed" >&2
    cat "$TMP/${names[$i]}.log" >&2
  fi
done
exit "$failed"
