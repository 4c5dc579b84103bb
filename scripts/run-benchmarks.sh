#!/usr/bin/env bash
# Benchmark harness (prints figures; not part of the test suite). Record results in BENCHMARKS.md.
#   scripts/run-benchmarks.sh start [reps]   # testkit cold start vs naive baseline script
#   scripts/run-benchmarks.sh clone [reps]   # BaseBackup through the library vs raw pg_basebackup, 1 GB
#   scripts/run-benchmarks.sh isolation [reps] # freshDatabase() vs a new cluster; partition detection time
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prepare.sh
which="${1:-start}"; shift || true
case "$which" in
  start) main=io.github.pgreplication.samples.bench.ClusterStartBenchmark ;;
  clone) main=io.github.pgreplication.samples.bench.CloneBenchmark ;;
  isolation) main=io.github.pgreplication.samples.bench.IsolationBenchmark ;;
  *) echo "unknown benchmark '$which': use start, clone or isolation" >&2; exit 2 ;;
esac
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r), Docker $(docker version --format '{{.Server.Version}}')"
mvn -B -q install -DskipTests
mvn -B -q exec:java -pl samples -Dsample.main="$main" -Dexec.args="$*" -Dexec.workingdir="$PWD"
