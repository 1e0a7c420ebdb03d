#!/usr/bin/env bash
# `make run`: migrate, seed the demo county, then web + worker + beat until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"

# The checkout's own settings, kept in the git-ignored .env that minqing/env.py
# reads: every `manage.py` command here (sweep_deadlines, rollup_stats, …) then
# runs as the README writes it, without exports. Written once, never overwritten.
if [ ! -f .env ]; then
  umask 077
  cat >.env <<ENV
# Written by \`make run\` for this checkout only (git-ignored). Real environment variables win.
DEBUG=1
SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')
DEMO_PASSWORD=Minqing@2026
ENV
  umask 022
fi
DEMO_PASSWORD=$($PY -c 'from minqing import env; env.load_file(); import os; print(os.environ.get("DEMO_PASSWORD", "Minqing@2026"))')
mkdir -p var/broker/queue var/broker/processed var/broker/control

$PY manage.py migrate --noinput -v0
$PY manage.py seed_demo --scale demo | tee var/seed.log
# One station's 民情码 (demo.residents), printed beside the logins: what a resident scans.
RESIDENT_PATH=$(sed -n 's/^Resident URL: //p' var/seed.log | tail -1)

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
  Settings:            .env (then any manage.py command works here as written)

  Demo logins (password: ${DEMO_PASSWORD})
    officer_village  officer_community  officer_enterprise  officer_village_2
    township_staff   township_staff_2   township_office     dept_handler
    city_office      leader             admin

  A resident's 民情码 (no login):  http://127.0.0.1:${PORT}${RESIDENT_PATH}

  Ctrl-C stops everything.
TXT
wait -n "${pids[@]}"
