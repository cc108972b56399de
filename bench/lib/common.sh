# shellcheck shell=bash
# Sourced by bench/run: paths, settings and small helpers. Every setting can be overridden from the
# environment (see bench/README.md).

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"

KAFKA_VERSION=4.4.0
BENCH_CACHE="${BENCH_CACHE:-$HOME/.cache/brook/bench}"
KAFKA_LIB="$BENCH_CACHE/kafka-$KAFKA_VERSION/lib"
CLIENT_CLASSES="$BENCH_CACHE/classes"

if [ -z "${JAVA:-}" ]; then
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
fi
JAVAC="${JAVAC:-$(dirname "$(command -v "$JAVA")")/javac}"
[ -x "$JAVAC" ] || JAVAC=javac
PY="${PY:-/usr/bin/python3}"
[ -x "$PY" ] || PY=python3

# Broker JVM: the heap and flags of Kafka's own kafka-server-start.sh / kafka-run-class.sh, for both brokers.
BENCH_HEAP="${BENCH_HEAP:--Xmx1G -Xms1G}"
BENCH_JVM_OPTS="${BENCH_JVM_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true}"
# Client tools get the 512 MiB heap that bin/kafka-*-perf-test.sh give them.
TOOL_HEAP="-Xmx512M"

BENCH_START_TIMEOUT="${BENCH_START_TIMEOUT:-120}"   # s: broker must answer within this
BENCH_TOOL_TIMEOUT="${BENCH_TOOL_TIMEOUT:-300}"     # s: any single client tool run
BENCH_STOP_TIMEOUT="${BENCH_STOP_TIMEOUT:-60}"      # s: SIGTERM, then SIGKILL
BENCH_IDLE_SETTLE="${BENCH_IDLE_SETTLE:-3}"         # s: idle time after start-up before the idle RSS sample

CLK_TCK="$(getconf CLK_TCK)"

now_ms() { date +%s%3N; }

log() { printf '%s\n' "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# Broker's user+system CPU time in clock ticks (fields 14 and 15 of /proc/PID/stat; the command
# name may hold spaces, so count from the closing parenthesis).
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13}'; }

# VmRSS / VmHWM of a process in MiB.
rss_mib() { awk '/^VmRSS:/{printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null; }
hwm_mib() { awk '/^VmHWM:/{printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null; }

alive() { [ -n "${1:-}" ] && [ -e "/proc/$1" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" != Z ]; }

# Two free TCP ports on 127.0.0.1 (client listener and, for Kafka, controller listener).
free_ports() {
  "$PY" -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()'
}

# tool LOGFILE MAINCLASS ARGS...: a Kafka client tool, bounded by BENCH_TOOL_TIMEOUT, output to LOGFILE.
# Runs in the background and is waited for, so that a signal to bench/run is handled at once
# (bash defers traps while a foreground child runs); TOOL_PID lets the exit trap stop it.
TOOL_PID=""
tool() {
  local logfile="$1" rc; shift
  # shellcheck disable=SC2086
  timeout -k 10 "$BENCH_TOOL_TIMEOUT" "$JAVA" $TOOL_HEAP $BENCH_JVM_OPTS \
    -Dlog4j2.configurationFile="$BENCH_DIR/config/tools-log4j2.properties" \
    -cp "$CLIENT_CLASSES:$KAFKA_LIB/*" "$@" < /dev/null > "$logfile" 2>&1 &
  TOOL_PID=$!
  wait "$TOOL_PID"; rc=$?
  TOOL_PID=""
  return $rc
}

stop_tool() {
  [ -n "$TOOL_PID" ] && kill -TERM "$TOOL_PID" 2>/dev/null && wait "$TOOL_PID" 2>/dev/null
  TOOL_PID=""
  return 0
}

# mvn_quiet SECONDS LOGFILE ARGS...: bounded Maven run, output kept in LOGFILE and shown only on failure.
mvn_quiet() {
  local secs="$1" logfile="$2"; shift 2
  mkdir -p "$(dirname "$logfile")"
  if ! timeout "$secs" mvn -B -q "$@" > "$logfile" 2>&1; then
    tail -40 "$logfile"
    return 1
  fi
}

# Kafka 4.4.0 jars from Maven Central into the cache, once.
fetch_kafka() {
  if [ -f "$KAFKA_LIB/kafka_2.13-$KAFKA_VERSION.jar" ] && [ -f "$KAFKA_LIB/kafka-tools-$KAFKA_VERSION.jar" ]; then
    return 0
  fi
  command -v mvn > /dev/null || die "mvn is needed to fetch Apache Kafka $KAFKA_VERSION from Maven Central"
  log "fetching Apache Kafka $KAFKA_VERSION (broker, tools, log4j2 binding) from Maven Central into $KAFKA_LIB"
  mkdir -p "$KAFKA_LIB"
  mvn_quiet 900 "$BENCH_CACHE/fetch-kafka.log" -f "$BENCH_DIR/pom.xml" dependency:copy-dependencies -DoutputDirectory="$KAFKA_LIB" -DincludeScope=runtime || die "maven could not fetch Kafka $KAFKA_VERSION"
  [ -f "$KAFKA_LIB/kafka_2.13-$KAFKA_VERSION.jar" ] && [ -f "$KAFKA_LIB/kafka-tools-$KAFKA_VERSION.jar" ] \
    || die "Kafka jars missing in $KAFKA_LIB after the fetch"
}

# bench/src/*.java (BenchClient, GroupBench, ClusterBench) compiled against kafka-clients, when a source is newer than its class.
compile_client() {
  local src stale=""
  for src in "$BENCH_DIR"/src/*.java; do
    local cls="$CLIENT_CLASSES/$(basename "$src" .java).class"
    if [ ! -f "$cls" ] || [ "$src" -nt "$cls" ]; then stale="$src"; fi
  done
  if [ -n "$stale" ]; then
    mkdir -p "$CLIENT_CLASSES"
    "$JAVAC" -Xlint:all -Werror -d "$CLIENT_CLASSES" -cp "$KAFKA_LIB/*" "$BENCH_DIR"/src/*.java \
      || die "could not compile bench/src (newer: $stale)"
  fi
}
