#!/usr/bin/env bash
# Start the embedded default: SQLite, a serverless broker, a real Celery worker and
# beat, and Django's server. Everything lives under var/; a second run reuses it.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-newsroom.settings.dev}
mkdir -p var/log

$BIN/python manage.py migrate --noinput -v 0
# The Ukrainian interface: .po catalogues to the .mo files Django reads (needs gettext).
if command -v msgfmt >/dev/null; then
  $BIN/python manage.py compilemessages -v 0 --ignore .venv
else
  echo "gettext is not installed (apt-get install gettext): the pages stay in English."
fi
$BIN/python manage.py train_default_models
$BIN/python manage.py ensure_editor
$BIN/python manage.py load_demo

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# Scoring and training have their own workers so a retrain never delays a comment;
# beat runs on its own (sweeps every 30 s, retraining). The broker is the filesystem
# transport under var/broker/ unless CELERY_BROKER_URL says otherwise; it has no
# broadcast, hence no gossip or mingle.
WORKER_FLAGS=(--without-gossip --without-mingle --loglevel INFO)
$BIN/celery -A newsroom worker -Q scoring -c 1 -n scoring@%h "${WORKER_FLAGS[@]}" \
  >var/log/worker-scoring.log 2>&1 &
pids+=($!)
$BIN/celery -A newsroom worker -Q training -c 1 -n training@%h "${WORKER_FLAGS[@]}" \
  >var/log/worker-training.log 2>&1 &
pids+=($!)
$BIN/celery -A newsroom beat -s var/celerybeat-schedule --loglevel INFO \
  >var/log/beat.log 2>&1 &
pids+=($!)
# A publisher's page on a second port, embedding the demo article's comments.
$BIN/python manage.py serve_demo_host --port 8001 >var/log/demo-host.log 2>&1 &
pids+=($!)

echo
echo "Site:  http://127.0.0.1:8000/      Admin: http://127.0.0.1:8000/admin/"
echo "The comments embedded in a publisher's page: http://127.0.0.1:8001/"
echo "Logs: var/log/worker-*.log, var/log/beat.log   Stop with Ctrl+C."
echo "The account below is an editor; \`make superuser\` creates a superuser if you need one."
$BIN/python manage.py ensure_editor
$BIN/python manage.py runserver 127.0.0.1:8000
