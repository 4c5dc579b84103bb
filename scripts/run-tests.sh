#!/usr/bin/env bash
# Runs the whole test suite: unit tests (surefire, no Docker) and integration tests (failsafe, real PostgreSQL,
# real pg_basebackup and real pgBackRest over SSH in containers). Extra arguments go to Maven, e.g.
#   scripts/run-tests.sh -Dit.test=ReplicationClusterIT
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prepare.sh
start=$(date +%s)
mvn -B verify "$@"
echo "Whole suite took $(( $(date +%s) - start )) s"
