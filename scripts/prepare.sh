#!/usr/bin/env bash
# Sourced by run-sample.sh and run-tests.sh: makes this machine ready to run containers.
#  1. a Docker engine (installed from Debian packages and started when absent: scripts/ensure-docker.sh)
#  2. the PostgreSQL images, built from Debian packages without a registry when absent (scripts/build-images.sh)
#  3. the Testcontainers settings our machines need, unless the caller set them already
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

bash "$here/ensure-docker.sh"
# Debian packages the tests use on this machine itself (installed once, when absent; needs root):
#  - openssh-client: SshHost and its tests use the OpenSSH client of this machine;
#  - busybox: LocalHostBusyboxIT runs the library's host commands on BusyBox's utilities, a userland not GNU's;
#  - PostgreSQL's server programs (/usr/lib/postgresql/MAJOR/bin): LocalHostBusyboxIT runs a primary and a standby here;
#  - iproute2 (tc) and util-linux (nsenter): ClusterNode.limitBandwidth shapes a container's egress from here.
#  - tcpdump: TlsWireIT captures the replication traffic in a container's network namespace (nsenter -n), from here.
if [ "$(id -u)" = "0" ]; then
  packages=()
  command -v ssh >/dev/null 2>&1 || packages+=(openssh-client)
  command -v busybox >/dev/null 2>&1 || [ -x /bin/busybox ] || packages+=(busybox)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
  command -v tc >/dev/null 2>&1 || packages+=(iproute2)
  command -v nsenter >/dev/null 2>&1 || packages+=(util-linux)
  command -v tcpdump >/dev/null 2>&1 || packages+=(tcpdump)
  if [ ${#packages[@]} -gt 0 ]; then
    echo "[prepare] installing ${packages[*]} from Debian packages" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  fi
fi
# The testkit picks pgreplication/postgres:<major>-local up by itself; an explicit PGREPLICATION_IMAGE skips this.
if [ -z "${PGREPLICATION_IMAGE:-}" ]; then
  bash "$here/build-images.sh" ${PGREPLICATION_MAJORS:-17 15}
fi
# No registry here: Ryuk's image cannot be pulled (containers are stopped by the code that started them), and
# inside a container Testcontainers would pull a helper image to find the gateway; the engine is local anyway.
export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-localhost}"
