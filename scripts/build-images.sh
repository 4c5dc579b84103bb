#!/usr/bin/env bash
# Builds the testkit's PostgreSQL images from Debian packages, with no container registry:
# debootstrap a minimal Debian root with PostgreSQL, pgBackRest and OpenSSH, then `docker import` it.
#
#   scripts/build-images.sh            # both images
#   scripts/build-images.sh 17         # PostgreSQL 17 on Debian trixie   -> pgreplication/postgres:17-local
#   scripts/build-images.sh 15         # PostgreSQL 15 on Debian bookworm -> pgreplication/postgres:15-local
#   FORCE=1 scripts/build-images.sh 17 # rebuild even when the image exists
#
# An image that already exists is detected and skipped. Point the testkit at one with
# -Dpgreplication.image=pgreplication/postgres:17-local or PGREPLICATION_IMAGE=... (see README).
set -euo pipefail

log() { echo "[build-images] $*" >&2; }

MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# Bumped whenever the image content below changes, so stale images are rebuilt.
IMAGE_REVISION=2

suite_for() {
  case "$1" in
    17) echo trixie ;;
    15) echo bookworm ;;
    *) log "unsupported PostgreSQL major '$1': use 17 (trixie) or 15 (bookworm)"; exit 2 ;;
  esac
}

build_one() {
  local major="$1" suite image dir
  suite="$(suite_for "$major")"
  image="pgreplication/postgres:${major}-local"
  if [ -z "${FORCE:-}" ] && [ "$(docker image inspect --format '{{index .Config.Labels "pgreplication.revision"}}' "$image" 2>/dev/null || true)" = "$IMAGE_REVISION" ]; then
    log "$image already present (revision $IMAGE_REVISION), skipping"
    return 0
  fi
  command -v debootstrap >/dev/null 2>&1 || { log "debootstrap missing: run scripts/ensure-docker.sh (as root) first"; exit 1; }
  dir="$(mktemp -d "/tmp/pgreplication-rootfs-${major}.XXXXXX")"
  trap 'rm -rf "$dir"' RETURN
  log "debootstrap $suite with postgresql-$major into $dir (about a minute)"
  debootstrap --variant=minbase \
    --include="postgresql-${major},pgbackrest,openssh-server,openssh-client,iproute2,procps" \
    "$suite" "$dir" "$MIRROR" >"$dir.log" 2>&1 || { tail -n 40 "$dir.log" >&2; exit 1; }
  rm -f "$dir.log"
  # The packages' post-install created a cluster and SSH host keys: drop both. The testkit initialises its
  # own data directory, and every container generates its own host keys (ssh-keygen -A) so no two share one.
  rm -rf "$dir/var/lib/postgresql/${major}/main" "$dir/etc/postgresql/${major}/main"
  rm -f "$dir"/etc/ssh/ssh_host_*
  mkdir -p "$dir/run/sshd" "$dir/var/run/postgresql" "$dir/var/lib/pgbackrest" "$dir/var/log/pgbackrest"
  chroot "$dir" chown postgres:postgres /var/run/postgresql /var/lib/pgbackrest /var/log/pgbackrest
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  log "importing $image"
  tar -C "$dir" -c . | docker import \
    -c "ENV PATH=/usr/lib/postgresql/${major}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    -c "ENV LANG=C.UTF-8" \
    -c 'CMD ["sleep", "infinity"]' \
    - "$image-base" >/dev/null
  # A data directory initialised once at build time: the testkit copies it instead of running initdb per cluster
  # (initdb's post-bootstrap step costs about a second of CPU). Its superuser has no password until the testkit
  # sets a fresh one per cluster.
  local cid
  cid="$(docker run -d --init "$image-base")"
  docker exec -u postgres "$cid" initdb -D /var/lib/postgresql/template -U postgres --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --no-locale -N >/dev/null
  docker stop -t 1 "$cid" >/dev/null
  docker commit -c "LABEL pgreplication.revision=${IMAGE_REVISION} pgreplication.postgres-major=${major}" \
    "$cid" "$image" >/dev/null
  docker rm "$cid" >/dev/null
  docker rmi "$image-base" >/dev/null
  log "built $image"
}

majors=("$@")
[ ${#majors[@]} -eq 0 ] && majors=(17 15)
for m in "${majors[@]}"; do build_one "$m"; done
