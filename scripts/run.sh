#!/usr/bin/env bash
# `make run`: migrate, seed the demo county, then web + worker + beat until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
export DEBUG="${DEBUG:-1}"
export DEMO_PASSWORD="${DEMO_PASSWORD:-Minqing@2026}"
mkdir -p var/broker/queue var/broker/processed

$PY manage.py migrate --noinput -v0
$PY manage.py seed_demo --scale demo

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# One worker with an embedded beat: the whole background side in one process.
.venv/bin/celery -A minqing worker --beat --loglevel=warning --concurrency=2 \
  --schedule var/celerybeat-schedule >var/worker.log 2>&1 &
pids+=($!)
$PY manage.py runserver "0.0.0.0:${PORT}" --noreload &
pids+=($!)

sleep 2
cat <<TXT

  Minqing is running:  http://127.0.0.1:${PORT}/
  API docs:            http://127.0.0.1:${PORT}/api/docs/
  Worker + beat log:   var/worker.log

  Demo logins (password: ${DEMO_PASSWORD})
    officer_village  officer_community  officer_enterprise  officer_village_2
    township_staff   township_staff_2   township_office     dept_handler
    city_office      leader             admin

  Ctrl-C stops everything.
TXT
wait -n "${pids[@]}"
