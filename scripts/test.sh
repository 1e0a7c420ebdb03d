#!/usr/bin/env bash
# `make test`: install what the suite needs, start a throwaway PostgreSQL and
# Redis, run ruff, the migration check and the whole suite, then stop what it
# started (by PID) whatever happened. Exits with the suite's status.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STARTED_AT=$(date +%s)
PY=.venv/bin/python

log() { printf '\n==> %s\n' "$*"; }

# --- system packages -------------------------------------------------------
find_pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}
need=()
[ -n "$(find_pg_bin)" ] || need+=(postgresql postgresql-contrib)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v pgbouncer >/dev/null 2>&1 || need+=(pgbouncer)
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)
# SYSTEM_CLOCK="2026-11-30 15:30:00" (UTC) runs every pytest process, and the browsers
# and servers it starts, with the machine's clock moved there (libfaketime): the
# suite's results must not depend on it. PostgreSQL and Redis keep the real clock
# (Redis does not start under libfaketime).
[ -n "${SYSTEM_CLOCK:-}" ] && ! command -v faketime >/dev/null 2>&1 && need+=(faketime)
# The monthly report's PDF: WeasyPrint (PyPI) draws with Pango; Noto CJK (above) has the Chinese glyphs.
ldconfig -p 2>/dev/null | grep -F "libpangoft2-1.0.so.0" >/dev/null || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "apt-get install ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || {
      echo "apt-get install failed"; exit 1; }
  else
    echo "Missing Debian packages: ${need[*]} (run as root, or install them)"; exit 1
  fi
fi
PG_BIN=$(find_pg_bin)

# --- Python ----------------------------------------------------------------
log "Python environment"
make -s .venv/.dev || exit 1

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- throwaway services ----------------------------------------------------
WORK=$(mktemp -d /tmp/minqing-test.XXXXXX)
chmod 755 "$WORK"
PG_PORT=$(free_port)
REDIS_PORT=$(free_port)
REPLICA_PORT=$(free_port)
POOLER_PORT=$(free_port)
REDIS_PID=""
PG_STARTED=""
REPLICA_STARTED=""
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
  local rc=$?
  log "stopping the services this run started"
  if [ -n "$PG_STARTED" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate -w stop >/dev/null 2>&1 || {
      pid=$(head -1 "$WORK/pg/postmaster.pid" 2>/dev/null); [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; }
  fi
  pid=$(cat "$WORK/pgbouncer.pid" 2>/dev/null); [ -n "$pid" ] && kill "$pid" 2>/dev/null
  if [ -n "$REPLICA_STARTED" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$WORK/replica" -m immediate -w stop >/dev/null 2>&1 || {
      pid=$(head -1 "$WORK/replica/postmaster.pid" 2>/dev/null); [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; }
  fi
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT INT TERM

log "PostgreSQL on port $PG_PORT"
mkdir -p "$WORK/pg"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$WORK" "$WORK/pg"
as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 || {
  cat "$WORK/initdb.log"; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w -t 60 \
  -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$WORK/pg.log"; exit 1; }
PG_STARTED=1
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres minqing || exit 1

# A streaming replica of it (tests/test_replica.py): initdb's pg_hba already lets local
# replication in (trust), wal_level=replica and max_wal_senders are PostgreSQL's defaults.
log "PostgreSQL replica on port $REPLICA_PORT"
as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$WORK/replica" -R -X stream -c fast \
  >"$WORK/basebackup.log" 2>&1 || { cat "$WORK/basebackup.log"; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$WORK/replica" -l "$WORK/replica.log" -w -t 60 \
  -o "-p $REPLICA_PORT -k $WORK -c listen_addresses=127.0.0.1 -c hot_standby=on -c max_connections=200" \
  start >/dev/null || { cat "$WORK/replica.log"; exit 1; }
REPLICA_STARTED=1

# PgBouncer in transaction mode in front of the primary (tests/test_pooler.py); any database name.
log "PgBouncer (transaction mode) on port $POOLER_PORT"
echo '"postgres" ""' >"$WORK/pgbouncer.users"
cat >"$WORK/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$PG_PORT
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $POOLER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $WORK/pgbouncer.users
admin_users = postgres
pool_mode = transaction
max_client_conn = 400
default_pool_size = 20
ignore_startup_parameters = extra_float_digits
logfile = $WORK/pgbouncer.log
pidfile = $WORK/pgbouncer.pid
INI
[ "$(id -u)" = 0 ] && chown postgres:postgres "$WORK/pgbouncer.ini" "$WORK/pgbouncer.users"
as_pg pgbouncer -d -q "$WORK/pgbouncer.ini" || { cat "$WORK/pgbouncer.log"; exit 1; }

log "Redis on port $REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
  --maxmemory-policy noeviction --daemonize no >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/minqing"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
# The fault tests restart these services; tell them how.
export MINQING_TEST_PG_BIN="$PG_BIN" MINQING_TEST_PG_DATA="$WORK/pg" MINQING_TEST_PG_PORT="$PG_PORT"
export MINQING_TEST_REDIS_PORT="$REDIS_PORT" MINQING_TEST_WORK="$WORK"
export TEST_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/minqing"
export TEST_POOLER_URL="postgres://postgres@127.0.0.1:$POOLER_PORT/minqing"
export DJANGO_SETTINGS_MODULE=minqing.settings_test

# --- lanes ------------------------------------------------------------------
# main:   the whole suite on PostgreSQL, two workers; beside it, in a process of
#         its own, the test that waits a minute on a stopped Redis (marker `solo`);
#         then the tests that restart the suite's PostgreSQL (marker `serial`), alone.
# sqlite: the API journeys, the access matrix and the page walks on the embedded
#         default (SQLite in a file, WAL, immediate transactions).
# clock:  the tests marked `clock` (deadlines, roll-ups, the sweep, reports,
#         dashboards) again at each awkward moment of CLOCKS, one database each.
# The sqlite and clock lanes run side by side after main (each one process), so
# their start-up costs overlap; each writes its own log, shown when all are done.
# `scripts/test.sh ARGS…` runs only `pytest ARGS…` on PostgreSQL (for a developer's loop).
LANES=${LANES:-"main sqlite clock"}
CLOCKS=${CLOCKS:-"2026-11-30T23:30:00+08:00 2026-10-10T10:00:00+08:00 2026-02-18T10:00:00+08:00"}
WORKERS=${TEST_WORKERS:-2}
SQLITE_TESTS="tests/test_embedded_default.py cases/tests/test_journeys.py
  cases/tests/test_api_actions.py cases/tests/test_api_cases.py cases/tests/test_pages.py cases/tests/test_concurrency.py
  cases/tests/test_projects_api.py cases/tests/test_projects_pages.py
  diaries/tests/test_api.py diaries/tests/test_pages.py dashboards/tests/test_api.py dashboards/tests/test_pages.py
  accounts/tests/test_pages.py accounts/tests/test_api.py notifications/tests/test_inbox_api.py
  notifications/tests/test_inbox_page.py"

status=0
FAILED_LANES=""
TIMES=""
CLOCK_RUN=()
[ -n "${SYSTEM_CLOCK:-}" ] && { CLOCK_RUN=(faketime "$SYSTEM_CLOCK"); log "the machine's clock for pytest: $SYSTEM_CLOCK UTC"; }
note_lane() {  # note_lane NAME RC SECONDS
  # 5 = nothing collected: a lane with nothing to run has not failed.
  [ "$2" -ne 0 ] && [ "$2" -ne 5 ] && { status=$2; FAILED_LANES+=" [$1]"; }
  TIMES+=$(printf '\n  %-40s %4ss  exit %s' "$1" "$3" "$2")
}
lane() {  # lane NAME pytest-args…: in the foreground
  local name=$1; shift
  local t0; t0=$(date +%s)
  log "pytest: $name"
  "${CLOCK_RUN[@]}" "$PY" -m pytest "$@"
  note_lane "$name" $? $(( $(date +%s) - t0 ))
}
SIDE_NAMES=(); SIDE_PIDS=()
side_lane() {  # side_lane NAME pytest-args…: in the background, output to its log
  local n=${#SIDE_NAMES[@]}
  SIDE_NAMES+=("$1"); shift
  date +%s >"$WORK/side$n.start"
  ( "${CLOCK_RUN[@]}" "$PY" -m pytest "$@" >"$WORK/side$n.log" 2>&1; echo $? >"$WORK/side$n.rc"; date +%s >"$WORK/side$n.end" ) &
  SIDE_PIDS+=($!)
}
side_lanes_wait() {
  [ ${#SIDE_PIDS[@]} -eq 0 ] && return
  wait "${SIDE_PIDS[@]}"
  local n rc
  for n in "${!SIDE_NAMES[@]}"; do
    rc=$(cat "$WORK/side$n.rc")
    log "pytest: ${SIDE_NAMES[$n]}"
    if [ "$rc" -eq 0 ] || [ "$rc" -eq 5 ]; then tail -n 3 "$WORK/side$n.log"; else cat "$WORK/side$n.log"; fi
    note_lane "${SIDE_NAMES[$n]}" "$rc" $(( $(cat "$WORK/side$n.end") - $(cat "$WORK/side$n.start") ))
  done
}

log "ruff check, ruff format --check"
"$PY" -m ruff check . || status=1
"$PY" -m ruff format --check . || status=1
log "makemigrations --check"
"$PY" manage.py makemigrations --check --dry-run || status=1

if [ $# -gt 0 ]; then
  lane "pytest $*" --create-db "$@"
else
  for name in $LANES; do
    case $name in
      main)
        # The test that stops Redis for a minute mostly waits: it runs beside the others, on its own database.
        DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/minqing_solo" \
          side_lane "main, beside (waits on a stopped Redis)" --create-db -m solo
        lane "main (PostgreSQL, $WORKERS workers)" --create-db -n "$WORKERS" -m "not serial and not solo" \
          --durations=15
        lane "main, alone (restarts PostgreSQL)" --create-db -m serial ;;
      sqlite)
        # Two processes, two files: the access matrix is half of the lane's work.
        DATABASE_URL="sqlite:///$WORK/matrix.sqlite3" side_lane "sqlite: the access matrix" --create-db -q \
          tests/test_access_matrix.py
        DATABASE_URL="sqlite:///$WORK/lane.sqlite3" side_lane "sqlite: journeys, pages, make run" --create-db -q \
          $SQLITE_TESTS ;;
      clock)
        n=0
        for at in $CLOCKS; do
          n=$((n + 1))
          DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/minqing_clock$n" MINQING_TEST_CLOCK=$at \
            side_lane "clock $at" --create-db -q -m "clock and not serial"
        done ;;
      *) echo "unknown lane: $name (main, sqlite, clock)"; status=2 ;;
    esac
  done
  side_lanes_wait
fi

log "time"
printf '%s\n  %-40s %4ss\n' "$TIMES" "make test, in all" "$(( $(date +%s) - STARTED_AT ))"
[ -n "$FAILED_LANES" ] && echo "  failed:$FAILED_LANES"
exit $status
