#!/usr/bin/env bash
# engine.sh -- start or stop the test bed's private Docker engine.
#
#   engine.sh start   use the engine at $DOCKER_HOST if one answers; otherwise
#                     install Debian's engine when missing (install-engine.sh)
#                     and start a private dockerd in the background with its own
#                     data root, exec root and unix socket.  Waits for it with a
#                     deadline (PYFRONTEND_ENGINE_TIMEOUT seconds an attempt) and
#                     starts it again when it dies or does not answer in time
#                     (containerd's first boot can be slow under load), up to
#                     PYFRONTEND_ENGINE_ATTEMPTS times.  Prints the DOCKER_HOST to
#                     use on stdout; progress and errors go to stderr.
#   engine.sh stop    stop the private dockerd started by `start` (if any) and, for
#                     the containerd and debian12 engines, remove its bridge.
#   engine.sh host    print the DOCKER_HOST of the private engine.
#
# Env: PYFRONTEND_ENGINE_STORE=classic (default), containerd or debian12: the engine.
# The containerd one (dockerd feature containerd-snapshotter, where BuildKit offers
# MergeOp) is always a private engine of its own beside the classic one, on its own
# bridge (PYFRONTEND_ENGINE_BRIDGE, default pfctrd0, PYFRONTEND_ENGINE_BRIDGE_CIDR
# default 172.31.254.1/24) with iptables off.  debian12 is Debian 12's own engine,
# docker.io 20.10 (BuildKit 0.8), unpacked from its .deb (`apt-get download
# docker.io/bookworm`, so bookworm must be in apt's sources) into DIR/root and run as a
# third private engine on bridge pfdeb0 (172.31.253.1/24), iptables off; its dockerd
# starts the system's containerd itself.  PYFRONTEND_ENGINE_DIR (default
# /var/lib/pyfrontend-engine, -containerd or -debian12) holds the data root, exec root,
# socket, pid file and log.  PYFRONTEND_ENGINE_TIMEOUT (default 120 s
# classic, 300 s containerd), PYFRONTEND_ENGINE_ATTEMPTS (default 3),
# PYFRONTEND_DOCKERD_ARGS (more dockerd arguments).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
STORE=${PYFRONTEND_ENGINE_STORE:-classic}
case $STORE in
  classic) DIR=${PYFRONTEND_ENGINE_DIR:-/var/lib/pyfrontend-engine}; DEFAULT_TIMEOUT=120 ;;
  containerd) DIR=${PYFRONTEND_ENGINE_DIR:-/var/lib/pyfrontend-engine-containerd}; DEFAULT_TIMEOUT=300 ;;
  debian12) DIR=${PYFRONTEND_ENGINE_DIR:-/var/lib/pyfrontend-engine-debian12}; DEFAULT_TIMEOUT=120 ;;
  *) echo "engine.sh: unknown PYFRONTEND_ENGINE_STORE=$STORE (classic|containerd|debian12)" >&2; exit 2 ;;
esac
# the stores with a bridge of their own (the classic engine uses docker0)
case $STORE in
  containerd) BRIDGE=${PYFRONTEND_ENGINE_BRIDGE:-pfctrd0}
              BRIDGE_CIDR=${PYFRONTEND_ENGINE_BRIDGE_CIDR:-172.31.254.1/24} ;;
  debian12) BRIDGE=${PYFRONTEND_ENGINE_BRIDGE:-pfdeb0}
            BRIDGE_CIDR=${PYFRONTEND_ENGINE_BRIDGE_CIDR:-172.31.253.1/24} ;;
  *) BRIDGE= BRIDGE_CIDR= ;;
esac
DEBIAN12_DOCKER=docker.io/bookworm  # 20.10.24: Debian 12's engine
TIMEOUT=${PYFRONTEND_ENGINE_TIMEOUT:-$DEFAULT_TIMEOUT}
ATTEMPTS=${PYFRONTEND_ENGINE_ATTEMPTS:-3}
SOCK=$DIR/docker.sock
HOST=unix://$SOCK
PIDFILE=$DIR/dockerd.pid
LOG=$DIR/dockerd.log

say() { echo "engine.sh ($STORE): $*" >&2; }
answers() { DOCKER_HOST=$1 timeout 10 docker version -f '{{.Server.Version}}' >/dev/null 2>&1; }
# a process that exists and is not a zombie (an exited child its parent has not reaped)
alive() {
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
  local state; state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
  [ "$state" != Z ]
}
recorded_pid() { [ -s "$PIDFILE" ] && cat "$PIDFILE" || true; }

# the lines the current attempt wrote to the log
attempt_log() { awk -v m="=== engine.sh attempt $1 " 'index($0, m) == 1 { n = NR } { l[NR] = $0 }
  END { for (i = (n ? n : 1); i <= NR; i++) print l[i] }' "$LOG" 2>/dev/null | tail -n 30; }

# end a dockerd of ours: TERM, then KILL after 30 s
end_dockerd() {
  local pid=$1
  alive "$pid" || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 60); do alive "$pid" || return 0; sleep 0.5; done
  say "dockerd $pid did not stop in 30 s: killing it"
  kill -9 "$pid" 2>/dev/null || true
}

# wait until the engine answers, its process dies, or the deadline passes
wait_for() {  # pid -> 0 answering, 1 died, 2 deadline
  local pid=$1 start=$SECONDS next=10
  while :; do
    if answers "$HOST"; then return 0; fi
    alive "$pid" || return 1
    local waited=$((SECONDS - start))
    [ "$waited" -ge "$TIMEOUT" ] && return 2
    if [ "$waited" -ge "$next" ]; then
      say "waiting for dockerd $pid on $SOCK: ${waited}s of ${TIMEOUT}s"
      next=$((next + 10))
    fi
    sleep 0.5
  done
}

# Debian 12's docker.io, unpacked (no maintainer scripts) into $DIR/root
install_debian12() {
  [ -x "$DIR/root/usr/sbin/dockerd" ] && return 0
  mkdir -p "$DIR/debs"
  rm -f "$DIR"/debs/docker.io_*.deb
  if ! (cd "$DIR/debs" && apt-get download -q "$DEBIAN12_DOCKER" >&2); then
    say "cannot download $DEBIAN12_DOCKER: Debian 12 (bookworm) must be in apt's sources"
    return 1
  fi
  rm -rf "$DIR/root.new"; mkdir -p "$DIR/root.new"
  dpkg-deb -x "$DIR"/debs/docker.io_*.deb "$DIR/root.new"
  mv "$DIR/root.new" "$DIR/root"
  say "unpacked $("$DIR/root/usr/sbin/dockerd" --version) into $DIR/root"
}

bridge_up() {
  ip link show "$BRIDGE" >/dev/null 2>&1 && return 0
  ip link add name "$BRIDGE" type bridge
  ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
  ip link set "$BRIDGE" up
}

start() {
  if [ "$STORE" = classic ] && [ -n "${DOCKER_HOST:-}" ] && answers "$DOCKER_HOST"; then
    echo "$DOCKER_HOST"; return 0
  fi
  if answers "$HOST"; then echo "$HOST"; return 0; fi
  mkdir -p "$DIR/data" "$DIR/exec"
  # one starter at a time: a second `start` waits here, then finds the engine up
  exec 8>"$DIR/engine.lock"
  if ! flock -w $((TIMEOUT * ATTEMPTS + 60)) 8; then
    say "another engine.sh start holds $DIR/engine.lock; gave up after $((TIMEOUT * ATTEMPTS + 60))s"
    return 1
  fi
  if answers "$HOST"; then echo "$HOST"; return 0; fi
  bash "$HERE/install-engine.sh" >&2
  local extra=() pid rc attempt dockerd=dockerd path=$PATH
  if [ "$STORE" = containerd ]; then
    printf '{"features": {"containerd-snapshotter": true}}\n' > "$DIR/daemon.json"
    extra=(--config-file "$DIR/daemon.json")
  fi
  if [ "$STORE" = debian12 ]; then
    install_debian12
    # its own dockerd, docker-proxy and docker-init first; containerd and runc the system's
    dockerd=$DIR/root/usr/sbin/dockerd path=$DIR/root/usr/sbin:$DIR/root/usr/bin:$PATH
  fi
  if [ -n "$BRIDGE" ]; then
    bridge_up
    extra+=(--bridge "$BRIDGE" --iptables=false)
  fi
  # a dockerd of ours still booting (its starter was interrupted): give it its chance
  pid=$(recorded_pid)
  if alive "$pid"; then
    say "dockerd $pid is running but not answering yet; waiting up to ${TIMEOUT}s"
    rc=0; wait_for "$pid" || rc=$?
    if [ "$rc" = 0 ]; then echo "$HOST"; return 0; fi
    say "dockerd $pid did not answer: stopping it and starting afresh"
    end_dockerd "$pid"
  fi
  for attempt in $(seq 1 "$ATTEMPTS"); do
    say "starting dockerd (attempt $attempt of $ATTEMPTS, up to ${TIMEOUT}s; log $LOG)"
    echo "=== engine.sh attempt $attempt $(date -u +%FT%TZ)" >>"$LOG"
    # containerd is started by dockerd itself (managed mode) under the exec root;
    # dockerd does not inherit the lock (fd 8)
    PATH=$path nohup "$dockerd" --data-root "$DIR/data" --exec-root "$DIR/exec" \
      --host "$HOST" --pidfile "$PIDFILE" "${extra[@]}" ${PYFRONTEND_DOCKERD_ARGS:-} \
      >>"$LOG" 2>&1 </dev/null 8>&- &
    pid=$!
    rc=0; wait_for "$pid" || rc=$?
    if [ "$rc" = 0 ]; then
      say "up after attempt $attempt ($HOST)"
      echo "$HOST"; return 0
    fi
    if [ "$rc" = 1 ]; then
      say "dockerd exited during start-up; its last lines:"
    else
      say "dockerd did not answer on $SOCK within ${TIMEOUT}s; its last lines:"
      end_dockerd "$pid"
    fi
    attempt_log "$attempt" | sed 's/^/    | /' >&2
    if attempt_log "$attempt" | grep -qi 'containerd'; then
      say "(containerd was slow or failed to start: its first boot on a new data root can take minutes under load)"
    fi
  done
  say "FAILED: no engine on $SOCK after $ATTEMPTS attempts of ${TIMEOUT}s; see $LOG." \
    "Set PYFRONTEND_ENGINE_TIMEOUT=SECONDS to wait longer on a busy machine."
  return 1
}

stop() {
  local pid; pid=$(recorded_pid)
  if alive "$pid"; then end_dockerd "$pid"; fi
  # the bridge belongs to the engine: gone with it
  if [ -n "$BRIDGE" ] && ip link show "$BRIDGE" >/dev/null 2>&1; then
    if answers "$HOST"; then
      say "an engine still answers on $SOCK: bridge $BRIDGE left in place"
    else
      ip link delete "$BRIDGE" && say "removed bridge $BRIDGE"
    fi
  fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  host) echo "$HOST" ;;
  *) echo "usage: engine.sh start|stop|host" >&2; exit 2 ;;
esac
