#!/bin/sh
# Healthy only while the standby is in recovery and its WAL is current: its WAL receiver streams, or (streaming
# cut, archive-get at work) it replayed a transaction less than STANDBY_HEALTH_MAX_LAG seconds ago (default 300).
set -eu
lag="${STANDBY_HEALTH_MAX_LAG:-300}"
case "$lag" in ''|*[!0-9]*) echo "STANDBY_HEALTH_MAX_LAG='$lag' is not a number of seconds" >&2; exit 1 ;; esac
sql="SELECT pg_is_in_recovery() AND (EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming')
  OR coalesce(now() - pg_last_xact_replay_timestamp() < make_interval(secs => $lag), false))"
run() {
  if [ "$(id -u)" = 0 ]; then setpriv --reuid=postgres --regid=postgres --init-groups "$@"; else "$@"; fi
}
out="$(run psql -X -A -t -q -d postgres -c "$sql" 2>&1)" || { echo "not answering: $out"; exit 1; }
[ "$out" = t ] || { echo "not a current standby (in recovery and streaming, or replaying recent WAL)"; exit 1; }
echo "standby in recovery, WAL current"
