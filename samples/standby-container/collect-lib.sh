#!/bin/sh
# Copies what the standby container's program needs into OUT: the library's, the sample's and their runtime
# dependencies' jars (not the testkit's Testcontainers). Run from the repository root after
#   mvn -pl samples -am package -DskipTests dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=DEPS
# Usage: collect-lib.sh DEPS OUT
set -eu
deps="$1"; out="$2"
mkdir -p "$out"
for j in replication-core/target/replication-core-*.jar replication-pgbackrest/target/replication-pgbackrest-*.jar \
         samples/target/samples-*.jar; do
  case "$j" in *-sources.jar|*-javadoc.jar|*-tests.jar) continue ;; esac
  cp "$j" "$out/"
done
for p in postgresql- HikariCP- commons-exec- slf4j-api- slf4j-simple- jackson- checker-qual-; do
  for j in "$deps"/"$p"*.jar; do
    [ -e "$j" ] && cp "$j" "$out/"
  done
done
for needed in replication-core replication-pgbackrest samples postgresql- HikariCP- commons-exec- slf4j-api- slf4j-simple-; do
  ls "$out" | grep -q "^$needed" || { echo "collect-lib.sh: no $needed jar" >&2; exit 1; }
done
