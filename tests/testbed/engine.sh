#!/usr/bin/env bash
# engine.sh -- start or stop the test bed's private Docker engine.
#
#   engine.sh start   use the engine at $DOCKER_HOST if one answers; otherwise
#                     install Debian's engine when missing (install-engine.sh)
#                     and start a private dockerd in the background with its own
#                     data root, exec root and unix socket.  Prints the
#                     DOCKER_HOST to use on stdout.
#   engine.sh stop    stop the private dockerd started by `start` (if any).
#   engine.sh host    print the DOCKER_HOST of the private engine.
#
# Env: PYFRONTEND_ENGINE_STORE=classic (default) or containerd: the image store.
# The containerd one (dockerd feature containerd-snapshotter, where BuildKit offers
# MergeOp) is always a private engine of its own beside the classic one, on its own
# bridge (pfctrd0) with iptables off.  PYFRONTEND_ENGINE_DIR (default
# /var/lib/pyfrontend-engine, or /var/lib/pyfrontend-engine-containerd) holds the data
# root, exec root, socket, pid file and log.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
STORE=${PYFRONTEND_ENGINE_STORE:-classic}
case $STORE in
  classic) DIR=${PYFRONTEND_ENGINE_DIR:-/var/lib/pyfrontend-engine} ;;
  containerd) DIR=${PYFRONTEND_ENGINE_DIR:-/var/lib/pyfrontend-engine-containerd} ;;
  *) echo "engine.sh: unknown PYFRONTEND_ENGINE_STORE=$STORE (classic|containerd)" >&2; exit 2 ;;
esac
BRIDGE=pfctrd0
BRIDGE_CIDR=172.31.254.1/24
SOCK=$DIR/docker.sock
HOST=unix://$SOCK
PIDFILE=$DIR/dockerd.pid
LOG=$DIR/dockerd.log

answers() { DOCKER_HOST=$1 timeout 10 docker version -f '{{.Server.Version}}' >/dev/null 2>&1; }

start() {
  if [ "$STORE" = classic ] && [ -n "${DOCKER_HOST:-}" ] && answers "$DOCKER_HOST"; then
    echo "$DOCKER_HOST"; return 0
  fi
  if answers "$HOST"; then echo "$HOST"; return 0; fi
  bash "$HERE/install-engine.sh" >&2
  mkdir -p "$DIR/data" "$DIR/exec"
  local extra=()
  if [ "$STORE" = containerd ]; then
    printf '{"features": {"containerd-snapshotter": true}}\n' > "$DIR/daemon.json"
    if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
      ip link add name "$BRIDGE" type bridge
      ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
      ip link set "$BRIDGE" up
    fi
    extra=(--config-file "$DIR/daemon.json" --bridge "$BRIDGE" --iptables=false)
  fi
  # containerd is started by dockerd itself (managed mode) under the exec root
  nohup dockerd --data-root "$DIR/data" --exec-root "$DIR/exec" \
    --host "$HOST" --pidfile "$PIDFILE" "${extra[@]}" ${PYFRONTEND_DOCKERD_ARGS:-} \
    >"$LOG" 2>&1 </dev/null &
  for _ in $(seq 1 120); do
    if answers "$HOST"; then echo "$HOST"; return 0; fi
    sleep 0.5
  done
  echo "engine.sh: dockerd did not come up; last lines of $LOG:" >&2
  tail -n 30 "$LOG" >&2
  return 1
}

stop() {
  [ -s "$PIDFILE" ] || return 0
  pid=$(cat "$PIDFILE")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  host) echo "$HOST" ;;
  *) echo "usage: engine.sh start|stop|host" >&2; exit 2 ;;
esac
