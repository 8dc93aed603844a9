#!/usr/bin/env bash
# `make run`: the web server, a Celery worker and Celery beat, stopped together by Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
mkdir -p var/log

pids=()
stop() {
  trap - INT TERM EXIT
  # Each child leads its own process group. Ask the leaders to stop (Celery finishes
  # its current task), then end whatever is left of the groups after 15 seconds.
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 30); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  echo "모두 종료했습니다."
}
trap stop INT TERM EXIT

setsid "$PY" -m celery -A config worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 &
pids+=($!)
setsid "$PY" -m celery -A config beat --loglevel=INFO >var/log/beat.log 2>&1 &
pids+=($!)

cat <<MSG

  서울노동아카데미가 http://127.0.0.1:${PORT}/ 에서 실행 중입니다.
    관리자 화면:  http://127.0.0.1:${PORT}/admin/
    API 문서:     http://127.0.0.1:${PORT}/api/v1/docs
    상태 확인:    http://127.0.0.1:${PORT}/api/v1/health?deep=true
  Celery 작업자와 beat 기록: var/log/worker.log, var/log/beat.log
  멈추려면 Ctrl-C를 누르세요.

MSG
"$PY" manage.py demo_accounts
setsid "$PY" manage.py runserver "127.0.0.1:${PORT}" &
pids+=($!)
wait -n
