#!/usr/bin/env bash
# The Docker CLI's twin of DockerFloorBenchmark: a network, three idle containers of the image (network alias and a
# published port each), one `true` run in each. Prints the elapsed milliseconds on the last line. Cleans up.
#   bench/baseline-floor.sh IMAGE
set -euo pipefail
image="${1:?image}"
id="fl$$"
start=$(date +%s%N)
cleanup() { docker rm -f -v "$id-primary" "$id-standby1" "$id-standby2" >/dev/null 2>&1 || true; docker network rm "$id" >/dev/null 2>&1 || true; }
trap cleanup EXIT
docker network create "$id" >/dev/null
for n in primary standby1 standby2; do
  docker run -d --init --name "$id-$n" --network "$id" --network-alias "$n" -p 5432 "$image" sleep infinity >/dev/null
done
for n in primary standby1 standby2; do docker exec "$id-$n" true; done
echo $(( ($(date +%s%N) - start) / 1000000 ))
