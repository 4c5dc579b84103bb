#!/usr/bin/env bash
# Builds the second runbook's standby container image with no container registry, on top of the testkit's
# locally built image (scripts/build-images.sh): pgreplication/postgres:MAJOR-local -> pgreplication/standby:MAJOR-local.
#
#   scripts/build-standby-image.sh          # PostgreSQL 17
#   scripts/build-standby-image.sh 15
#   FORCE=1 scripts/build-standby-image.sh  # rebuild even when an image of the same content exists
#
# The image holds a Java runtime (this JDK cut down with jlink, else Debian's package) and the library's and the sample's classes: they are compiled with Maven here, unless
# STANDBY_CLASSPATH gives them (':'-separated jars and class directories, as the samples' ITs do). An image built
# from the same classes and files (same content hash) is detected and skipped. With a registry, build
# samples/standby-container/Dockerfile with --build-arg BASE=postgres:17 instead (see its header).
set -euo pipefail

log() { echo "[build-standby-image] $*" >&2; }

root="$(cd "$(dirname "$0")/.." && pwd)"
major="${1:-17}"
case "$major" in 15|17) ;; *) log "unsupported PostgreSQL major '$major': use 17 or 15"; exit 2 ;; esac
base="pgreplication/postgres:${major}-local"
image="pgreplication/standby:${major}-local"
docker image inspect "$base" >/dev/null 2>&1 || { log "$base is missing: build it first with scripts/build-images.sh $major"; exit 1; }

ctx="$(mktemp -d /tmp/pgreplication-standby-image.XXXXXX)"
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/lib"

if [ -z "${STANDBY_CLASSPATH:-}" ]; then
  log "compiling the library and the sample (mvn -pl samples -am test-compile)"
  # test-compile, not compile: the pgBackRest module's tests use replication-core's test classes (PosixAudit), which
  # the reactor gives from test-compile on, and build-classpath resolves every scope of every module.
  (cd "$root" && mvn -B -q -pl samples -am test-compile dependency:build-classpath -DincludeScope=runtime \
      -Dmdep.outputFile="$ctx/cp.txt" >"$ctx/mvn.log" 2>&1) || { tail -n 40 "$ctx/mvn.log" >&2; exit 1; }
  STANDBY_CLASSPATH="$root/replication-core/target/classes:$root/replication-pgbackrest/target/classes:$root/samples/target/classes:$(cat "$ctx/cp.txt")"
fi

# Only what the container's program needs: the library, the sample, and their runtime dependencies (not the
# testkit's Testcontainers).
wanted='^(replication-core|replication-pgbackrest|samples|postgresql-|HikariCP-|commons-exec-|slf4j-api-|slf4j-simple-|jackson-|checker-qual-)'
IFS=':' read -r -a entries <<<"$STANDBY_CLASSPATH"
: >"$ctx/inputs.txt"
for e in "${entries[@]}"; do
  [ -n "$e" ] || continue
  if [ -d "$e" ]; then
    # .../replication-core/target/classes -> replication-core
    name="$(basename "$(dirname "$(dirname "$e")")")"
    [[ "$name" =~ $wanted ]] || continue
    jar --create --file "$ctx/lib/$name.jar" -C "$e" .
    (cd "$e" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sed "s|^|$name |" >>"$ctx/inputs.txt"
  elif [ -f "$e" ]; then
    name="$(basename "$e")"
    [[ "$name" =~ $wanted ]] || continue
    cp "$e" "$ctx/lib/$name"
    sha256sum "$e" | sed "s|  .*|  $name|" >>"$ctx/inputs.txt"
  fi
done
for needed in replication-core replication-pgbackrest samples postgresql- HikariCP- commons-exec- slf4j-api- slf4j-simple-; do
  ls "$ctx/lib" | grep -q "^$needed" || { log "no $needed jar or classes in the classpath: $STANDBY_CLASSPATH"; exit 1; }
done
# The Java runtime: this machine's JDK cut down with jlink to the modules the program needs (about 50 MB instead
# of Debian's JRE package, 300 MB with its dependencies); STANDBY_DEBIAN_JRE=1, or a JDK without jmods, installs
# Debian's package in the image instead.
mkdir -p "$ctx/jre"
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
if [ -z "${STANDBY_DEBIAN_JRE:-}" ] && command -v jlink >/dev/null 2>&1 && [ -d "$java_home/jmods" ]; then
  rmdir "$ctx/jre"
  jlink --add-modules java.base,java.sql,java.naming,java.management,java.logging,java.security.jgss,java.xml,java.desktop,jdk.unsupported,jdk.crypto.ec \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$ctx/jre"
  echo "jre $("$ctx/jre/bin/java" -version 2>&1 | head -1)" >>"$ctx/inputs.txt"
else
  echo "jre debian" >>"$ctx/inputs.txt"
fi
here="$root/samples/standby-container"
cp "$here/Dockerfile" "$here/standby-entrypoint.sh" "$here/standby-start.sh" "$here/standby-health.sh" "$ctx/"
(cd "$here" && sha256sum Dockerfile standby-entrypoint.sh standby-start.sh standby-health.sh) >>"$ctx/inputs.txt"
docker image inspect --format '{{.Id}}' "$base" >>"$ctx/inputs.txt"
hash="$(sort "$ctx/inputs.txt" | sha256sum | cut -c1-16)"

if [ -z "${FORCE:-}" ] && [ "$(docker image inspect --format '{{index .Config.Labels "pgreplication.standby.hash"}}' "$image" 2>/dev/null || true)" = "$hash" ]; then
  log "$image already built from the same content ($hash), skipping"
  exit 0
fi

log "building $image on $base (content $hash)"
docker build -q --build-arg "BASE=$base" --label "pgreplication.standby.hash=$hash" \
  --label "pgreplication.postgres-major=$major" -t "$image" "$ctx" >"$ctx/build.log" 2>&1 \
  || { tail -n 40 "$ctx/build.log" >&2; exit 1; }
size() { docker image inspect --format '{{.Size}}' "$1"; }
mb() { echo $(( $1 / 1000000 )); }
log "built $image: $(mb "$(size "$image")") MB; $base is $(mb "$(size "$base")") MB (the Java runtime, $( [ -x "$ctx/jre/bin/java" ] && echo "jlink $(du -sm "$ctx/jre" | cut -f1) MB" || echo "Debian's package"), and jars add $(mb $(( $(size "$image") - $(size "$base") ))) MB)"
