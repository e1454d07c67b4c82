#!/usr/bin/env bash
# Local stores for development, tests and CI, without Docker.
#   scripts/services.sh up      install what is missing, start every store, wait until healthy
#   scripts/services.sh down    stop them (data is kept under .data/)
#   scripts/services.sh status  one line per store
#   scripts/services.sh reset   down, delete .data/, up
#   scripts/services.sh start|stop STORE...   one store at a time (postgres redis nats mongo neo4j),
#     nothing installed; with BAAS_DATA_DIR and the ports below, a private instance (the fault
#     test, e2e/faults/, restarts its own this way and never the shared ones)
# Every store binds to 127.0.0.1; data lives under .data/ (git-ignored). `up` is idempotent.
# Ports can be moved with BAAS_PG_PORT, BAAS_REDIS_PORT, BAAS_NATS_PORT, BAAS_NEO4J_PORT,
# BAAS_MONGO_PORT. Where a Docker engine runs, BAAS_SERVICES=docker uses docker-compose.yml instead.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${BAAS_DATA_DIR:-$ROOT/.data}"
RUN="$DATA/run"
TOOLS="${BAAS_TOOLS_DIR:-$HOME/.cache/baas-tools}"

PG_PORT="${BAAS_PG_PORT:-5432}"
REDIS_PORT="${BAAS_REDIS_PORT:-6379}"
NATS_PORT="${BAAS_NATS_PORT:-4222}"
NATS_MONITOR_PORT="${BAAS_NATS_MONITOR_PORT:-8222}"
NEO4J_PORT="${BAAS_NEO4J_PORT:-7687}"
MONGO_PORT="${BAAS_MONGO_PORT:-27017}"
PG_USER=baas
PG_PASSWORD=baas
PG_DB=baas
FERRETDB_VERSION=v1.24.2
FERRETDB_BIN="$TOOLS/bin/ferretdb-local-$(cat "$ROOT/scripts/ferretdb/go.mod" "$ROOT/scripts/ferretdb/go.sum" "$ROOT/scripts/ferretdb/main.go" | sha256sum | cut -c1-12)"

log() { printf '[services] %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # port name seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    port_open "$1" && return 0
    sleep 0.1
  done
  log "$2 did not open port $1 within $3 s; see $DATA/logs/$2.log"
  tail -n 30 "$DATA/logs/$2.log" >&2 || true
  return 1
}

pid_alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

# After a stop signal: wait (up to 10 s) until the process has exited, so a start right after it
# does not find the old one still holding its port and take it for a running store.
wait_gone() {
  local pid
  pid="$(cat "$RUN/$1.pid" 2>/dev/null)" || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  log "$1 (PID $pid) still running 10 s after the stop signal"
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# ---------------------------------------------------------------- installation
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

install_missing() {
  local pkgs=()
  [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/postgres" ] || pkgs+=(postgresql postgresql-contrib)
  command -v redis-server >/dev/null || pkgs+=(redis-server)
  command -v nats-server >/dev/null || [ -x /usr/sbin/nats-server ] || pkgs+=(nats-server)
  command -v java >/dev/null || pkgs+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null || pkgs+=(maven)
  command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || pkgs+=(golang-go)
  if [ "${#pkgs[@]}" -gt 0 ]; then apt_install "${pkgs[@]}"; fi

  # FerretDB v1 (MongoDB wire protocol on SQLite), embedded in scripts/ferretdb and built from
  # the Go module proxy (the first build takes a few minutes; later ones reuse the binary).
  if [ ! -x "$FERRETDB_BIN" ]; then
    log "go build scripts/ferretdb (FerretDB $FERRETDB_VERSION from the Go module proxy)"
    mkdir -p "$TOOLS/bin"
    (cd "$ROOT/scripts/ferretdb" && PATH="$PATH:/usr/local/go/bin" go build -o "$FERRETDB_BIN.tmp" . && mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN")
  fi

  # Neo4j 5 community from Maven Central, launched by a small Java file (scripts/neo4j).
  if [ ! -f "$ROOT/scripts/neo4j/target/neo4j-local-1.0.0.jar" ] || [ ! -d "$ROOT/scripts/neo4j/target/lib" ]; then
    log "mvn package scripts/neo4j (Neo4j community from Maven Central)"
    (cd "$ROOT/scripts/neo4j" && mvn -q -B package -DskipTests)
  fi
}

# ---------------------------------------------------------------- PostgreSQL
pg_up() {
  local bin; bin="$(pg_bin)"
  local dir="$DATA/postgres"
  if port_open "$PG_PORT" && [ -f "$dir/postmaster.pid" ]; then return 0; fi
  if port_open "$PG_PORT"; then log "port $PG_PORT is taken by another PostgreSQL; set BAAS_PG_PORT"; return 1; fi
  mkdir -p "$dir" "$RUN/pgsock"
  chown -R postgres:postgres "$dir" "$RUN/pgsock"
  chmod 700 "$dir"
  if [ ! -f "$dir/PG_VERSION" ]; then
    log "initdb $dir"
    runuser -u postgres -- "$bin/initdb" -D "$dir" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$dir/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
max_connections = 300
shared_buffers = 256MB
fsync = on
synchronous_commit = on
log_min_messages = warning
EOF
  fi
  touch "$DATA/logs/postgres.log"; chown postgres:postgres "$DATA/logs/postgres.log"
  # A postmaster.pid (or socket lock) left by a machine that stopped without a shutdown names a
  # PID that is now dead or belongs to another program; PostgreSQL then refuses to start. Nothing
  # listens on the port (checked above), so a lock whose process is not a live postgres is stale.
  local lock
  for lock in "$dir/postmaster.pid" "$RUN/pgsock/.s.PGSQL.$PG_PORT.lock"; do
    [ -f "$lock" ] || continue
    local old_pid; old_pid="$(head -n 1 "$lock" | tr -d ' ')"
    if [ "$(cat "/proc/$old_pid/comm" 2>/dev/null || true)" != postgres ] \
      || [ "$(awk '{print $3}' "/proc/$old_pid/stat" 2>/dev/null || true)" = Z ]; then
      log "removing stale $(basename "$lock") (PID $old_pid is not a running postgres)"
      rm -f "$lock"
      [ "${lock%.lock}" != "$lock" ] && rm -f "${lock%.lock}"
    fi
  done
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir" -l "$DATA/logs/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -k $RUN/pgsock" start >/dev/null
  wait_port "$PG_PORT" postgres 30
  local psql=("$bin/psql" -h "$RUN/pgsock" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt)
  if [ "$(runuser -u postgres -- "${psql[@]}" -c "select 1 from pg_roles where rolname='$PG_USER'")" != 1 ]; then
    runuser -u postgres -- "${psql[@]}" -c "create role $PG_USER login createdb password '$PG_PASSWORD'"
  fi
  if [ "$(runuser -u postgres -- "${psql[@]}" -c "select 1 from pg_database where datname='$PG_DB'")" != 1 ]; then
    runuser -u postgres -- "${psql[@]}" -c "create database $PG_DB owner $PG_USER"
  fi
}
pg_down() {
  local dir="$DATA/postgres"
  [ -f "$dir/postmaster.pid" ] && runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
}
pg_status() {
  if port_open "$PG_PORT" && PGPASSWORD=$PG_PASSWORD "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U $PG_USER -d $PG_DB -qAtc 'select 1' >/dev/null 2>&1; then
    echo "postgres  up    127.0.0.1:$PG_PORT  $("$(pg_bin)/postgres" --version | awk '{print $3}')  postgresql://$PG_USER:***@127.0.0.1:$PG_PORT/$PG_DB"
  else
    echo "postgres  down  127.0.0.1:$PG_PORT"
  fi
}

# ---------------------------------------------------------------- Redis
redis_up() {
  pid_alive redis && port_open "$REDIS_PORT" && return 0
  mkdir -p "$DATA/redis"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DATA/redis" --daemonize yes \
    --pidfile "$RUN/redis.pid" --logfile "$DATA/logs/redis.log" --appendonly yes --save "" \
    --protected-mode yes >/dev/null
  wait_port "$REDIS_PORT" redis 15
  # While it replays its append-only file Redis answers LOADING; wait for PONG.
  local i
  for ((i = 0; i < 300; i++)); do
    [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && return 0
    sleep 0.1
  done
  log "redis did not answer PONG within 30 s; see $DATA/logs/redis.log"; return 1
}
redis_down() { pid_alive redis && { redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1; wait_gone redis; } || true; }
redis_status() {
  if [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; then
    echo "redis     up    127.0.0.1:$REDIS_PORT  $(redis-server --version | awk '{print $3}' | cut -d= -f2)  redis://127.0.0.1:$REDIS_PORT"
  else echo "redis     down  127.0.0.1:$REDIS_PORT"; fi
}

# ---------------------------------------------------------------- NATS JetStream
nats_bin() { command -v nats-server || echo /usr/sbin/nats-server; }
nats_up() {
  pid_alive nats && port_open "$NATS_PORT" && return 0
  mkdir -p "$DATA/nats"
  nohup "$(nats_bin)" -a 127.0.0.1 -p "$NATS_PORT" -m "$NATS_MONITOR_PORT" -js -sd "$DATA/nats" \
    -P "$RUN/nats.pid" >>"$DATA/logs/nats.log" 2>&1 &
  wait_port "$NATS_PORT" nats 15
  wait_port "$NATS_MONITOR_PORT" nats 15
}
nats_down() { pid_alive nats && kill "$(cat "$RUN/nats.pid")" 2>/dev/null && wait_gone nats || true; }
nats_status() {
  local js
  js="$( (exec 3<>"/dev/tcp/127.0.0.1/$NATS_MONITOR_PORT" && printf 'GET /healthz?js-enabled-only=true HTTP/1.0\r\n\r\n' >&3 && cat <&3) 2>/dev/null | tail -n 1 || true)"
  if [[ "$js" == *'"ok"'* ]]; then
    echo "nats      up    127.0.0.1:$NATS_PORT  $("$(nats_bin)" --version | awk '{print $2}')  nats://127.0.0.1:$NATS_PORT (JetStream on)"
  else echo "nats      down  127.0.0.1:$NATS_PORT"; fi
}

# ---------------------------------------------------------------- Neo4j
neo4j_up() {
  pid_alive neo4j && port_open "$NEO4J_PORT" && return 0
  mkdir -p "$DATA/neo4j"
  local t="$ROOT/scripts/neo4j/target"
  nohup java -Xms256m -Xmx1g -XX:+UseParallelGC \
    -cp "$t/neo4j-local-1.0.0.jar:$t/lib/*" dev.baas.neo4j.Neo4jServer "$DATA/neo4j" "$NEO4J_PORT" \
    >>"$DATA/logs/neo4j.log" 2>&1 &
  echo $! >"$RUN/neo4j.pid"
  wait_port "$NEO4J_PORT" neo4j 120
}
neo4j_down() {
  if pid_alive neo4j; then
    local pid; pid="$(cat "$RUN/neo4j.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
}
neo4j_status() {
  if port_open "$NEO4J_PORT" && grep -q 'neo4j ready' "$DATA/logs/neo4j.log" 2>/dev/null; then
    echo "neo4j     up    127.0.0.1:$NEO4J_PORT  5.26.12 community (Maven Central, embedded)  bolt://127.0.0.1:$NEO4J_PORT"
  else echo "neo4j     down  127.0.0.1:$NEO4J_PORT"; fi
}

# ---------------------------------------------------------------- MongoDB wire protocol (FerretDB)
mongo_up() {
  pid_alive ferretdb && port_open "$MONGO_PORT" && return 0
  mkdir -p "$DATA/ferretdb"
  nohup "$FERRETDB_BIN" --listen-addr="127.0.0.1:$MONGO_PORT" --sqlite-url="file:$DATA/ferretdb/" \
    >>"$DATA/logs/ferretdb.log" 2>&1 &
  echo $! >"$RUN/ferretdb.pid"
  wait_port "$MONGO_PORT" ferretdb 30
}
mongo_down() { pid_alive ferretdb && kill "$(cat "$RUN/ferretdb.pid")" 2>/dev/null && wait_gone ferretdb || true; }
mongo_status() {
  if pid_alive ferretdb && port_open "$MONGO_PORT"; then
    echo "mongodb   up    127.0.0.1:$MONGO_PORT  FerretDB $FERRETDB_VERSION (SQLite)  mongodb://127.0.0.1:$MONGO_PORT"
  else echo "mongodb   down  127.0.0.1:$MONGO_PORT"; fi
}

# ---------------------------------------------------------------- commands
up() {
  mkdir -p "$RUN" "$DATA/logs"
  install_missing
  pg_up
  redis_up
  nats_up
  mongo_up
  neo4j_up
  log "all stores up"
}
down() { neo4j_down; mongo_down; nats_down; redis_down; pg_down; }
status() { pg_status || true; redis_status || true; nats_status || true; neo4j_status || true; mongo_status || true; }
store_fn() { # store up|down: the function of one store
  case "$1" in
    postgres) echo "pg_$2" ;;
    redis | nats | neo4j | mongo) echo "$1_$2" ;;
    *) echo "unknown store $1 (postgres redis nats mongo neo4j)" >&2; exit 2 ;;
  esac
}

if [ "${BAAS_SERVICES:-local}" = docker ]; then
  case "${1:-up}" in
    up) docker compose -f "$ROOT/docker-compose.yml" up -d --wait postgres redis nats neo4j mongodb ;;
    down) docker compose -f "$ROOT/docker-compose.yml" stop ;;
    status) docker compose -f "$ROOT/docker-compose.yml" ps ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
  esac
  exit 0
fi

case "${1:-up}" in
  up) up ;;
  down) down ;;
  status) status ;;
  reset) down; rm -rf "$DATA"; up ;;
  start) shift; mkdir -p "$RUN" "$DATA/logs"; for s in "$@"; do fn="$(store_fn "$s" up)"; "$fn"; done ;;
  stop) shift; for s in "$@"; do fn="$(store_fn "$s" down)"; "$fn"; done ;;
  *) echo "usage: $0 up|down|status|reset|start STORE...|stop STORE..." >&2; exit 2 ;;
esac
