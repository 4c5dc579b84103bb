#!/usr/bin/env bash
# Runs the main sample: the first runbook (a primary and two standbys, eshub and eshuc) through the public API,
# then writes rows on the primary, reads them on both standbys and prints the replication status.
#   scripts/run-sample.sh                    # StreamingReplicationSample
#   scripts/run-sample.sh PgBackRestSample   # another sample class of samples/
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prepare.sh
main="io.github.pgreplication.samples.${1:-StreamingReplicationSample}"
mvn -B -q install -DskipTests
mvn -B -q exec:java -pl samples -Dsample.main="$main"
