#!/usr/bin/env bash
# Naive baseline for the cold-start benchmark: what a plain script does without the library.
# Starts three containers one after the other, initialises the primary, clones the standbys one after the other
# with pg_basebackup (no slots, default spread checkpoint), starts them, and waits until the primary reports both
# streaming. Prints the elapsed milliseconds on the last line. Cleans up after itself.
#   bench/baseline-cluster.sh IMAGE            # data directories on disk (the naive baseline)
#   bench/baseline-cluster.sh IMAGE memory     # the same script with its data directories on tmpfs volumes
set -euo pipefail
image="${1:?image}"
storage="${2:-disk}"
mount=()
if [ "$storage" = memory ]; then
  mount=(--mount "type=volume,dst=/var/lib/postgresql/data,volume-driver=local,volume-opt=type=tmpfs,volume-opt=device=tmpfs,volume-opt=o=mode=0700")
fi
id="bl$$"
net="$id-net"
start=$(date +%s%N)
cleanup() { docker rm -f -v "$id-p" "$id-s1" "$id-s2" >/dev/null 2>&1 || true; docker network rm "$net" >/dev/null 2>&1 || true; }
trap cleanup EXIT
docker network create "$net" >/dev/null
for n in p s1 s2; do
  docker run -d --init --name "$id-$n" --network "$net" --network-alias "$n" "${mount[@]}" "$image" sleep infinity >/dev/null
  # A tmpfs volume's root belongs to root.
  if [ "$storage" = memory ]; then docker exec "$id-$n" chown postgres:postgres /var/lib/postgresql/data; fi
done
docker exec -u postgres "$id-p" initdb -D /var/lib/postgresql/data -A trust -N >/dev/null
docker exec -u postgres "$id-p" sh -c "echo \"listen_addresses='*'\" >> /var/lib/postgresql/data/postgresql.conf; echo 'host replication all all trust' >> /var/lib/postgresql/data/pg_hba.conf"
docker exec -u postgres "$id-p" pg_ctl -D /var/lib/postgresql/data -l /tmp/pg.log -w start >/dev/null
for n in s1 s2; do
  docker exec -u postgres "$id-$n" pg_basebackup -h p -U postgres -D /var/lib/postgresql/data -Fp -Xs -R >/dev/null
  docker exec -u postgres "$id-$n" pg_ctl -D /var/lib/postgresql/data -l /tmp/pg.log -w start >/dev/null
done
until [ "$(docker exec -u postgres "$id-p" psql -XAtc "select count(*) from pg_stat_replication where state='streaming'")" = "2" ]; do
  sleep 0.05
done
echo $(( ($(date +%s%N) - start) / 1000000 ))
