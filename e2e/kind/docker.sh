#!/usr/bin/env bash
# A Docker engine for the kind clusters, on a Debian machine as root.
#
#   e2e/kind/docker.sh start   use the engine that answers, or start Debian's dockerd (docker.io)
#   e2e/kind/docker.sh stop    stop the dockerd that `start` started (never another one)
#
# The dockerd started here changes the host as little as possible: no default bridge (docker0),
# no iptables or ip6tables rules, no ip_forward change (containers share user-defined bridge
# networks on lab subnets only; published ports go through docker-proxy), its data and config in
# the cache (~/.cache/tunnelier/docker), its socket the default one so that kind and docker find it.
# Privileged containers (kind nodes) need every capability docker 20.10 knows; where this machine's
# bounding set lacks one (CAP_SYS_RESOURCE on some VMs), a runc wrapper drops it from each
# container's OCI config, and only then.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib.sh"

DOCKER_DIR="$CACHE_DIR/docker"
PIDFILE=/run/tunnelier-dockerd.pid
# Debian's CLI matches Debian's engine and builds with BuildKit without the buildx plugin.
DOCKER="$(command -v /usr/bin/docker || command -v docker || true)"

engine_answers() { [[ -n "$DOCKER" ]] && timeout 10 "$DOCKER" info >/dev/null 2>&1; }

# The capabilities docker gives a privileged container that this machine's bounding set lacks.
missing_capabilities() {
  local bnd; bnd="$(awk '/^CapBnd/ {print $2}' /proc/self/status)"
  # CAP_SYS_RESOURCE is bit 24; the only one seen missing so far.
  (( (16#$bnd >> 24) & 1 )) || echo CAP_SYS_RESOURCE
}

write_config() {
  mkdir -p "$DOCKER_DIR"
  local runtime=""
  local missing; missing="$(missing_capabilities)"
  if [[ -n "$missing" ]]; then
    cp "$(dirname "${BASH_SOURCE[0]}")/runc-without-missing-caps" "$DOCKER_DIR/runc-wrapper"
    chmod 0755 "$DOCKER_DIR/runc-wrapper"
    runtime=',"runtimes":{"tunnelier-runc":{"path":"'"$DOCKER_DIR"'/runc-wrapper"}},"default-runtime":"tunnelier-runc"'
    log "this machine's capability bounding set lacks $missing: privileged containers run through $DOCKER_DIR/runc-wrapper, which drops it"
  fi
  cat >"$DOCKER_DIR/daemon.json" <<JSON
{"bridge": "none", "iptables": false, "ip6tables": false, "ip-forward": false, "ip-masq": false,
 "data-root": "$DOCKER_DIR/data", "exec-root": "/run/tunnelier-docker", "pidfile": "$PIDFILE",
 "hosts": ["unix:///var/run/docker.sock"], "log-driver": "json-file",
 "log-opts": {"max-size": "10m", "max-file": "2"}$runtime}
JSON
}

start() {
  if engine_answers; then
    log "docker: using the engine that answers ($("$DOCKER" version -f '{{.Server.Version}}' 2>/dev/null))"
    return
  fi
  if ! command -v dockerd >/dev/null; then
    log "docker: no engine and no dockerd: install Debian's docker.io (e2e/bin/prerequisites does)"
    exit 1
  fi
  write_config
  log "docker: starting dockerd (config $DOCKER_DIR/daemon.json, log $DOCKER_DIR/dockerd.log)"
  # setsid: the engine outlives this script; `stop` ends it.
  setsid dockerd --config-file "$DOCKER_DIR/daemon.json" >>"$DOCKER_DIR/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    engine_answers && break
    sleep 1
  done
  engine_answers || { log "docker: dockerd did not answer within 60 s; last lines of its log:"; tail -20 "$DOCKER_DIR/dockerd.log" >&2; exit 1; }
  log "docker: dockerd $("$DOCKER" version -f '{{.Server.Version}}') up"
}

stop() {
  [[ -f "$PIDFILE" ]] || return 0
  local pid; pid="$(cat "$PIDFILE")"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && grep -q dockerd "/proc/$pid/comm" 2>/dev/null; then
    log "docker: stopping the dockerd started for the tests (pid $pid)"
    kill "$pid"
    for _ in $(seq 1 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
