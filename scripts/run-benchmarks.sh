#!/usr/bin/env bash
# Benchmark harness (prints figures; not part of the test suite). Record results in BENCHMARKS.md.
#   scripts/run-benchmarks.sh start [reps]      # testkit cold start vs naive baseline script
#   scripts/run-benchmarks.sh clone [reps]      # BaseBackup through the library vs raw pg_basebackup, 1 GB
#   scripts/run-benchmarks.sh clone-shaped [reps] [compressible|random] [rows]
#                                               # clones and a delta re-sync over a 100 Mbit/s link (tbf, needs root)
#   scripts/run-benchmarks.sh isolation [reps]  # freshDatabase() vs a new cluster; partition detection time
#   scripts/run-benchmarks.sh operations [reps] # switchover and failover times, with each step's duration
#   scripts/run-benchmarks.sh durability [rounds] # commit latency per sync policy; failover time under ANY 1
#   scripts/run-benchmarks.sh cascade [rounds] [pause ms] # replay lag at depth 2 of a cascade against depth 1, same write load
#   scripts/run-benchmarks.sh first [reps]      # first cluster of a fresh JVM (one JVM per run) vs the baseline
#   scripts/run-benchmarks.sh kept [reps]       # experiment: the first cluster on machines kept from an earlier JVM
#   scripts/run-benchmarks.sh tls [reps] [rows] [load rows] [connections] [TLS 1.2 cipher]
#                                               # TLS against plain: 1 GB clone, streaming, JDBC handshake
# The modules are built in this checkout and run from their jars (nothing is installed into ~/.m2).
# PGREPLICATION_PREPARED=1 skips scripts/prepare.sh (Docker engine and images already there).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${PGREPLICATION_PREPARED:-}" = 1 ]; then
  export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
  export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-localhost}"
else
  source scripts/prepare.sh
fi
which="${1:-start}"; shift || true
bench=io.github.pgreplication.samples.bench
case "$which" in
  start) main=$bench.ClusterStartBenchmark ;;
  clone) main=$bench.CloneBenchmark ;;
  clone-shaped) main=$bench.ShapedCloneBenchmark ;;
  isolation) main=$bench.IsolationBenchmark ;;
  operations) main=$bench.OperationsBenchmark ;;
  durability) main=$bench.DurabilityBenchmark ;;
  cascade) main=$bench.CascadeBenchmark ;;
  first|kept) main=$bench.FirstClusterBenchmark ;;
  tls) main=$bench.TlsBenchmark ;;
  *) echo "unknown benchmark '$which': use start, clone, clone-shaped, isolation, operations, durability, cascade, first, kept or tls" >&2; exit 2 ;;
esac
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r), Docker $(docker version --format '{{.Server.Version}}'), load $(cut -d' ' -f1-3 /proc/loadavg)"
mvn -B -q -pl samples -am package -DskipTests \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime
cp="samples/target/classes:$(cat samples/target/bench.classpath)"

if [ "$which" = start ]; then
  # The replication set-up phase of each timed start (apply() on prepared machines), from the testkit's own line;
  # the first start is the untimed warm-up.
  out=$(mktemp)
  java -cp "$cp" "$main" "$@" 2>&1 | tee "$out"
  grep -o 'replication set-up [0-9]* ms' "$out" | tail -n +2 | awk '{print $3}' | sort -n | awk '{a[NR]=$1}
    END {if (NR) print "  of which the replication set-up (apply())   : median " (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)) " ms  (min " a[1] ", max " a[NR] ", n=" NR ")  (target < 800 ms)"}' || true
  rm -f "$out"
  exit 0
fi
if [ "$which" != first ] && [ "$which" != kept ]; then
  exec java -cp "$cp" "$main" "$@"
fi

# First cluster of a fresh JVM: one JVM per run, interleaved with the naive baseline script (data on disk, and the
# same script with its data directories in memory). One untimed run of each first (file caches, Docker's own warm-up).
reps="${1:-5}"
image="${PGREPLICATION_IMAGE:-pgreplication/postgres:17-local}"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)) " ms (min " a[1] ", max " a[NR] ", n=" NR ")"}'; }
now() { echo $(( $(date +%s%N) / 1000000 )); }
if [ "$which" = kept ]; then
  # Machines kept across JVMs, an experiment (issue 10): one JVM starts the three machines and leaves them running,
  # a fresh JVM then starts the primary's database and sets up replication on them, through the JDK alone (kept) or
  # through Testcontainers and the testkit's ContainerHost (keptTc); the testkit's first cluster, the JDK-only first
  # cluster from nothing and the naive in-memory script in the same loop.
  jdk="$bench.JdkFirstClusterBenchmark"
  state=$(mktemp)
  : > /tmp/kept.$$
  java -cp "$cp" "$jdk" "$image" prepare "$state" && java -cp "$cp" "$jdk" "$image" kept "$state" >/dev/null 2>&1
  for i in $(seq "$reps"); do
    java -cp "$cp" "$jdk" "$image" prepare "$state"; kept=$(java -cp "$cp" "$jdk" "$image" kept "$state" 2>/dev/null | tail -1)
    java -cp "$cp" "$jdk" "$image" prepare "$state"; keptTc=$(java -cp "$cp" "$jdk" "$image" keptTc "$state" 2>/dev/null | tail -1)
    jdkFirst=$(java -cp "$cp" "$jdk" "$image" 2>/dev/null | tail -1)
    first=$(java -cp "$cp" "$main" 2>/dev/null | grep '^first=' | cut -d' ' -f1)
    memory=$(bash bench/baseline-cluster.sh "$image" memory | tail -1)
    echo "run $i: $kept $keptTc $jdkFirst $first baselineMemory=$memory load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a /tmp/kept.$$
  done
  rm -f "$state"
  kfield() { grep -o " $1=[0-9-]*" /tmp/kept.$$ | cut -d= -f2 | median; }
  echo
  echo "First cluster on machines kept from an earlier JVM (experiment), $reps runs, load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "  through the JDK alone               : $(kfield kept)   (client $(kfield keptClient | cut -d' ' -f1-2), primary database $(kfield keptPrimary | cut -d' ' -f1-2), replication set-up $(kfield keptSetUp | cut -d' ' -f1-2); JVM CPU $(kfield keptJvmCpu | cut -d' ' -f1-2))"
  echo "  through Testcontainers' client      : $(kfield keptTc)   (client $(kfield keptTcClient | cut -d' ' -f1-2), primary database $(kfield keptTcPrimary | cut -d' ' -f1-2), replication set-up $(kfield keptTcSetUp | cut -d' ' -f1-2); JVM CPU $(kfield keptTcJvmCpu | cut -d' ' -f1-2))"
  echo "  from nothing, through the JDK alone : $(kfield jdkFirst)"
  echo "  the testkit's first start(2)        : $(kfield first)   (target < 3500 ms)"
  echo "  naive script, data in memory        : $(kfield baselineMemory)"
  rm -f /tmp/kept.$$
  exit 0
fi
java -cp "$cp" "$main" >/dev/null
java -cp "$cp" "$bench.DockerFloorBenchmark" "$image" >/dev/null
java -cp "$cp" "$bench.JdkDockerFloorBenchmark" "$image" >/dev/null
java -cp "$cp" "$bench.JdkFirstClusterBenchmark" "$image" >/dev/null 2>&1
bash bench/baseline-cluster.sh "$image" disk >/dev/null
bash bench/baseline-cluster.sh "$image" memory >/dev/null
: > /tmp/first.$$
# Each run also starts a JVM with only the client compiler (-XX:TieredStopAtLevel=1): a flag a user can give the
# test JVM (failsafe's argLine), measured in the same loop.
for i in $(seq "$reps"); do
  s=$(now); line=$(java -cp "$cp" "$main" | tail -1); e=$(now)
  c1=$(java -XX:TieredStopAtLevel=1 -cp "$cp" "$main" | tail -1 | sed -E 's/([a-zA-Z]+)=/c1\1=/g')
  nopf=$(java -Dpgreplication.prefetch=false -cp "$cp" "$main" | tail -1 | sed -E 's/([a-zA-Z]+)=/nopf\1=/g')
  nowarm=$(java -Dpgreplication.warmup=false -cp "$cp" "$main" | tail -1 | sed -E 's/([a-zA-Z]+)=/nowarm\1=/g')
  disk=$(bash bench/baseline-cluster.sh "$image" disk | tail -1)
  memory=$(bash bench/baseline-cluster.sh "$image" memory | tail -1)
  floor=$(java -cp "$cp" "$bench.DockerFloorBenchmark" "$image" | tail -1)
  cliFloor=$(bash bench/baseline-floor.sh "$image" | tail -1)
  jdkFloor=$(java -cp "$cp" "$bench.JdkDockerFloorBenchmark" "$image" | tail -1)
  jdkFirst=$(java -cp "$cp" "$bench.JdkFirstClusterBenchmark" "$image" 2>/dev/null | tail -1)
  echo "run $i: $line jvm=$((e - s)) $c1 $nopf $nowarm baselineDisk=$disk baselineMemory=$memory $floor cliFloor=$cliFloor $jdkFloor $jdkFirst load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a /tmp/first.$$
done
field() { grep -o " $1=[0-9-]*" /tmp/first.$$ | cut -d= -f2 | median; }
echo
echo "First cluster of a fresh JVM (ReplicationCluster.start(2), image $image), $reps JVMs, load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  first start(2) in the JVM             : $(field first)   (target < 3500 ms)"
echo "  from the JVM's start until it is up   : $(field fromJvmStart)"
echo "  whole JVM process (3 clusters, exit)  : $(field jvm)"
echo "  second start(2), as the first closes  : $(field warm)   (target < 2000 ms; the machines prepared in the background are still starting)"
echo "  third start(2), 2 s after the second   : $(field afterUse)   (what the next test class pays: prepared machines up)"
echo "  without prefetching, second / third    : $(field nopfwarm) / $(field nopfafterUse)   (-Dpgreplication.prefetch=false)"
echo "  without prefetching, first             : $(field nopffirst)"
echo "  without the warm-up thread, first       : $(field nowarmfirst)   (-Dpgreplication.warmup=false: PgJDBC, the core and tar not loaded while the containers start)"
echo "  machine CPU during the second start   : $(field warmCpu)   (JVM $(field warmJvmCpu | cut -d' ' -f1-2), containers' processes $(field warmContainersCpu | cut -d' ' -f1-2); the rest is Docker's daemons and the kernel)"
echo "  first start(2), -XX:TieredStopAtLevel=1: $(field c1first)"
echo "  second start(2), the same JVM          : $(field c1warm)"
echo "  naive baseline script (data on disk)  : $(field baselineDisk)"
echo "  same script, data in memory           : $(field baselineMemory)"
echo "  floor: Testcontainers alone, fresh JVM: $(field floor)   (client $(field floorClient | cut -d' ' -f1-2), network $(field floorNetwork | cut -d' ' -f1-2), 3 idle containers $(field floorContainers | cut -d' ' -f1-2), 3 execs $(field floorExecs | cut -d' ' -f1-2); JVM CPU $(field floorJvmCpu | cut -d' ' -f1-2), machine $(field floorCpu | cut -d' ' -f1-2))"
echo "  the same with the Docker CLI          : $(field cliFloor)"
echo "  the same with the JDK alone (no Testcontainers, Engine API over the socket): $(field jdkFloor)   (JVM CPU $(field jdkFloorJvmCpu | cut -d' ' -f1-2), machine $(field jdkFloorCpu | cut -d' ' -f1-2))"
echo "  first start(2): machine CPU / JVM CPU : $(field firstCpu) / $(field firstJvmCpu)"
echo "  the same first cluster, Docker through the JDK alone (experiment, no Testcontainers): $(field jdkFirst)   (containers $(field jdkFirstContainers | cut -d' ' -f1-2), primary database $(field jdkFirstPrimary | cut -d' ' -f1-2), replication set-up $(field jdkFirstSetUp | cut -d' ' -f1-2); JVM CPU $(field jdkFirstJvmCpu | cut -d' ' -f1-2), machine $(field jdkFirstCpu | cut -d' ' -f1-2))"
rm -f /tmp/first.$$
