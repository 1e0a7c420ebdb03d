#!/usr/bin/env bash
# `make bench` / `make bench-quick`: a persistent benchmark PostgreSQL under
# .bench/ (kept between runs, so a scale is seeded once), a throwaway Redis,
# production-like settings (DEBUG off, collected static files), then
# bench/run.py. Usage: scripts/bench.sh [--quick] [--scale demo|county|province] [--reseed] [--pooler] [--no-replica] [--exec CMD] [run.py args]
# --pooler: the benchmarks (and the soak's gunicorn) reach PostgreSQL through a PgBouncer in
# transaction mode started here, as README "Production" deploys it; migrate and the seed go direct.
# A streaming replica of the bench PostgreSQL (pg_basebackup once into .bench/replica, kept between
# runs and fed through the replication slot bench_replica) is started by the replica row and stopped
# after it; --no-replica skips making it.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=$ROOT/.venv/bin/python

SCALE=""
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; ARGS+=(--quick) ;;
    --scale) SCALE=$2; shift ;;
    --exec) EXEC=$2; shift ;;  # run a command in the bench environment instead (profiling)
    --pooler) POOLER=1 ;;
    --no-replica) NO_REPLICA=1 ;;
    --reseed) RESEED=1 ;;  # drop this scale's database and seed it again
    *) ARGS+=("$1") ;;
  esac
  shift
done

[ -n "$SCALE" ] || { [ -n "${QUICK:-}" ] && SCALE=county || SCALE=province; }
log() { printf '\n==> %s\n' "$*"; }
find_pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}
PG_BIN=$(find_pg_bin)
[ -n "$PG_BIN" ] || { echo "PostgreSQL is not installed (make test installs it)"; exit 1; }
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

BENCH=$ROOT/.bench
PGDATA=$BENCH/pg
mkdir -p "$BENCH/run"
chmod 755 "$BENCH" "$BENCH/run"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$BENCH/run"
if [ ! -f "$PGDATA/PG_VERSION" ]; then
  log "initdb $PGDATA (kept between runs)"
  mkdir -p "$PGDATA"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA"
  as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$BENCH/initdb.log" 2>&1 || {
    cat "$BENCH/initdb.log"; exit 1; }
fi
PG_PORT=$(free_port)
REDIS_PORT=$(free_port)
REDIS_PID=""
PG_STARTED=""
REPLICA_DATA=$BENCH/replica
cleanup() {
  local rc=$?
  log "stopping the benchmark services (data kept in $PGDATA)"
  # The replica row stops the replica it started; this is for a run that was interrupted.
  [ -f "$REPLICA_DATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" -m fast -w stop >/dev/null 2>&1
  [ -n "$PG_STARTED" ] && as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1
  pid=$(cat "$BENCH/run/pgbouncer.pid" 2>/dev/null); [ -n "$pid" ] && kill "$pid" 2>/dev/null
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
  exit $rc
}
trap cleanup EXIT INT TERM

# Durable settings as in production (fsync on): the numbers should not flatter us.
PG_OPTS="-p $PG_PORT -k $BENCH/run -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB -c work_mem=16MB -c maintenance_work_mem=256MB -c effective_cache_size=1GB -c random_page_cost=1.1 -c jit=off"
log "PostgreSQL on port $PG_PORT"
as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$BENCH/run/pg.log" -w -t 120 -o "$PG_OPTS" start >/dev/null || {
  tail -20 "$BENCH/run/pg.log"; exit 1; }
PG_STARTED=1
DB=minqing_bench_$SCALE
if [ -n "${RESEED:-}" ]; then
  "$PG_BIN/dropdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres --if-exists "$DB"
  rm -f "$BENCH/seeded-$SCALE"
fi
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 ||
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$DB" || exit 1

log "Redis on port $REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$BENCH/redis.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$DB"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export DJANGO_SETTINGS_MODULE=minqing.settings DEBUG=0 SECRET_KEY=bench-only-not-secret
export ALLOWED_HOSTS=testserver,127.0.0.1,localhost SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0
export MINQING_VAR_DIR=$BENCH/var
# The bench restarts PostgreSQL for the cold dashboard row.
export BENCH_PG_BIN=$PG_BIN BENCH_PG_DATA=$PGDATA BENCH_PG_OPTS=$PG_OPTS BENCH_PG_LOG=$BENCH/run/pg.log

log "migrate, collectstatic"
"$PY" manage.py migrate -v 0 || exit 1
"$PY" manage.py collectstatic --noinput -v 0 || exit 1
if [ ! -f "$BENCH/seeded-$SCALE" ]; then
  log "seed_demo --scale $SCALE (once; kept in $PGDATA)"
  "$PY" manage.py seed_demo --scale "$SCALE" || exit 1
  touch "$BENCH/seeded-$SCALE"
fi

psql_primary() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc "$1"; }
wants_replica() {  # every row, or an --only list that names the replica row
  local prev="" a
  for a in "${ARGS[@]}"; do
    case "$a" in --only=*) [[ ",${a#--only=}," == *,replica,* ]]; return ;; esac
    [ "$prev" = --only ] && { [[ ",$a," == *,replica,* ]]; return; }
    prev=$a
  done
  return 0
}
if [ -z "${NO_REPLICA:-}" ] && wants_replica; then
  if [ ! -f "$REPLICA_DATA/PG_VERSION" ]; then
    log "pg_basebackup into $REPLICA_DATA (once; kept, and fed through the slot bench_replica)"
    psql_primary "SELECT pg_drop_replication_slot('bench_replica') FROM pg_replication_slots
                  WHERE slot_name = 'bench_replica'" >/dev/null
    rm -rf "$REPLICA_DATA"; mkdir -p "$REPLICA_DATA"; chmod 700 "$REPLICA_DATA"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$REPLICA_DATA"
    as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$REPLICA_DATA" -R -X stream \
      -C -S bench_replica -c fast || { rm -rf "$REPLICA_DATA"; exit 1; }
  fi
  # Started by the replica row only (bench/replica.py), so the other rows have the cores to themselves
  # as they would with the replica on its own machine. The primary's port changes from run to run:
  # the connection string on the command line wins over the one pg_basebackup -R wrote.
  REPLICA_PORT=$(free_port)
  export BENCH_REPLICA_DATA=$REPLICA_DATA BENCH_REPLICA_LOG=$BENCH/run/replica.log
  export BENCH_REPLICA_OPTS="${PG_OPTS/-p $PG_PORT/-p $REPLICA_PORT} -c hot_standby=on -c primary_slot_name=bench_replica -c primary_conninfo='host=127.0.0.1 port=$PG_PORT user=postgres application_name=bench_replica'"
  export BENCH_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/$DB"
fi

if [ -n "${POOLER:-}" ]; then
  command -v pgbouncer >/dev/null 2>&1 || { echo "pgbouncer is not installed (make test installs it)"; exit 1; }
  POOLER_PORT=$(free_port)
  log "PgBouncer (transaction mode) on port $POOLER_PORT"
  rm -f "$BENCH/run/pgbouncer.pid"
  echo '"postgres" ""' >"$BENCH/run/pgbouncer.users"
  cat >"$BENCH/run/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$PG_PORT
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $POOLER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $BENCH/run/pgbouncer.users
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 20
ignore_startup_parameters = extra_float_digits
logfile = $BENCH/run/pgbouncer.log
pidfile = $BENCH/run/pgbouncer.pid
INI
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$BENCH/run/pgbouncer.ini" "$BENCH/run/pgbouncer.users"
  as_pg pgbouncer -d -q "$BENCH/run/pgbouncer.ini" || { cat "$BENCH/run/pgbouncer.log"; exit 1; }
  export DATABASE_URL="postgres://postgres@127.0.0.1:$POOLER_PORT/$DB" DATABASE_POOLER=transaction
fi

if [ -n "${EXEC:-}" ]; then bash -c "$EXEC"; exit $?; fi
log "benchmarks ($SCALE)"
"$PY" -m bench.run --scale "$SCALE" "${ARGS[@]}"
