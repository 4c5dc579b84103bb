#!/bin/sh
# As postgres: the Java program (keys, host key, restore or reuse), then PostgreSQL in the foreground as PID 1,
# so SIGINT from docker stop reaches it directly. SIGTERM/SIGINT during the Java phase stop the program.
set -eu
java -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
  -cp '/opt/standby/lib/*' io.github.pgreplication.samples.standby.StandbyContainer &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null' INT TERM
set +e
wait "$pid"
rc=$?
set -e
# wait returns early when a trapped signal arrives: wait again for the program's own exit status.
while kill -0 "$pid" 2>/dev/null; do wait "$pid"; rc=$?; done
if [ "$rc" -ne 0 ]; then
  exit "$rc"
fi
trap - INT TERM
# The password is in the 0600 passfile now; PostgreSQL does not need it in its environment.
exec env -u PG_REPLICATION_PASSWORD postgres -D /var/lib/postgresql/data
