#!/bin/sh
# As root: give the volumes to postgres (a fresh named volume is root's), then become postgres for good.
set -eu
if [ "$(id -u)" = 0 ]; then
  for d in /var/lib/postgresql/data /var/lib/pgbackrest /var/lib/postgresql/.ssh /var/run/postgresql \
           /var/log/pgbackrest; do
    mkdir -p "$d"
    chown postgres:postgres "$d"
  done
  chmod 0700 /var/lib/postgresql/data /var/lib/postgresql/.ssh
  exec setpriv --reuid=postgres --regid=postgres --init-groups /usr/local/bin/standby-start.sh "$@"
fi
exec /usr/local/bin/standby-start.sh "$@"
