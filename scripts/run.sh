#!/usr/bin/env bash
# `make run`: the web server, a Celery worker and Celery beat, stopped together.
#
# Each child leads a process group of its own, so that Ctrl-C in the terminal reaches
# this script alone and the stop below decides the order: the worker gets a warm
# shutdown (it finishes its current task), the web server and beat are ended with every
# process of their groups (runserver's reloader has a child that serves). Ctrl-C, TERM
# to this script or to the whole process group of `make run`, and HUP all stop everything.
# A worker or beat that dies on its own is started again; when the web server ends, all end.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
export PORT # the settings derive every absolute link from it (core/links.py)
LOG=${VAR_DIR:-var}/log
mkdir -p "$LOG"

declare -A group=()   # name -> pid of the group leader
declare -A started=() # name -> restarts so far
stopping=0

start() {
  local name=$1
  shift
  setsid "$@" >>"$LOG/$name.log" 2>&1 &
  group[$name]=$!
}

start_worker() { start worker "$PY" -m celery -A config worker --loglevel=INFO --concurrency=2; }
start_beat() { start beat "$PY" -m celery -A config beat --loglevel=INFO; }

alive() { kill -0 -- "-$1" 2>/dev/null; }

stop() {
  ((stopping)) && return
  stopping=1
  trap '' INT TERM HUP # a second Ctrl-C or TERM must not cut the stop short
  echo
  echo "  종료하는 중입니다: 웹 서버, Celery 작업자, beat ..."
  [[ -n ${group[worker]:-} ]] && kill -TERM "${group[worker]}" 2>/dev/null
  for name in web beat; do
    [[ -n ${group[$name]:-} ]] && kill -TERM -- "-${group[$name]}" 2>/dev/null
  done
  for _ in $(seq 40); do
    local left=0
    for pid in "${group[@]}"; do alive "$pid" && left=1; done
    ((left)) || break
    sleep 0.5
  done
  for pid in "${group[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
  echo "  모두 종료했습니다."
}
trap 'stop; exit 0' INT TERM HUP
trap stop EXIT

: >"$LOG/worker.log"
: >"$LOG/beat.log"
start_worker
start_beat

cat <<MSG

  서울노동아카데미가 http://127.0.0.1:${PORT}/ 에서 실행 중입니다.
    관리자 화면:  http://127.0.0.1:${PORT}/admin/
    API 문서:     http://127.0.0.1:${PORT}/api/v1/docs
    상태 확인:    http://127.0.0.1:${PORT}/api/v1/health?deep=true
  Celery 작업자와 beat 기록: $LOG/worker.log, $LOG/beat.log
  멈추려면 Ctrl-C를 누르세요.

MSG
"$PY" manage.py demo_accounts
# DEBUG is off unless DEBUG=1 (config/settings/dev.py): --insecure lets runserver serve
# the static files anyway; no media folder is served.
setsid "$PY" manage.py runserver --insecure "127.0.0.1:${PORT}" &
group[web]=$!

while :; do
  wait -n -p ended
  ((stopping)) && break
  case ${ended:-} in
    "${group[web]}")
      echo "  웹 서버가 멈췄습니다. 나머지도 종료합니다."
      break
      ;;
    "${group[worker]}" | "${group[beat]}")
      name=worker
      [[ $ended == "${group[beat]}" ]] && name=beat
      started[$name]=$((${started[$name]:-0} + 1))
      if ((started[$name] > 5)); then
        echo "  ${name}가 계속 멈춥니다($LOG/${name}.log). 모두 종료합니다."
        break
      fi
      echo "  ${name}가 멈춰서 다시 시작합니다 ($LOG/${name}.log)."
      kill -KILL -- "-$ended" 2>/dev/null # what is left of its group
      "start_$name"
      ;;
  esac
done
