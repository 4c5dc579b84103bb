#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine. On a fresh machine of ours (no engine, no registry)
# it installs docker.io and debootstrap from Debian's packages and starts dockerd in the background.
# Idempotent: when `docker info` already answers, it does nothing.
set -euo pipefail

log() { echo "[ensure-docker] $*" >&2; }

docker_answers() { docker info >/dev/null 2>&1; }

if docker_answers; then
  log "Docker engine already running"
  exit 0
fi

if [ "$(id -u)" != "0" ]; then
  log "no Docker engine answers and this script is not root: start one yourself (see README, Requirements)"
  exit 1
fi

need_install=()
command -v dockerd >/dev/null 2>&1 || need_install+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need_install+=(debootstrap)
# docker.io's client lands in /usr/bin; a client may already exist elsewhere, either works.
if [ ${#need_install[@]} -gt 0 ]; then
  log "installing ${need_install[*]} from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_install[@]}" iptables ca-certificates >/dev/null
fi

log "starting dockerd (log: /var/log/pgreplication-dockerd.log)"
nohup dockerd >/var/log/pgreplication-dockerd.log 2>&1 &

for _ in $(seq 1 60); do
  if docker_answers; then
    log "Docker engine is up: $(docker version --format '{{.Server.Version}}')"
    exit 0
  fi
  sleep 1
done
log "dockerd did not answer within 60 s; last lines of its log:"
tail -n 30 /var/log/pgreplication-dockerd.log >&2 || true
exit 1
