# shellcheck shell=bash
# Sourced by bench/run: start and stop the two brokers. start_broker sets
#   B_PID        pid of the broker JVM (what /proc figures are read from)
#   B_BOOTSTRAP  host:port for clients
#   B_STARTUP_MS launch -> answers ApiVersions + Metadata
#   B_FORMAT_MS  storage formatting before the launch (Kafka only; empty otherwise)
#   B_OUT        the broker's console output file
# and returns non-zero (after printing why) if the broker does not come up.
# For a restart on existing data (bench/groups): B_PORTS="PORT CONTROLLER_PORT" picks the ports instead of two free
# ones, and B_SKIP_FORMAT=1 starts Kafka without formatting its storage again.

B_PID=""

# brook_jar: the brook-server jar (not -sources/-tests/-javadoc), or nothing.
brook_jar() {
  local j
  for j in "$REPO_ROOT"/brook-server/target/brook-server-*.jar; do
    case "$j" in *-sources.jar|*-tests.jar|*-javadoc.jar) continue ;; esac
    [ -f "$j" ] && { printf '%s\n' "$j"; return 0; }
  done
  return 1
}

# build_brook_if_needed: `mvn package` at the repo root when there is no jar or a pom.xml or a main
# source file is newer than it.
build_brook_if_needed() {
  local jar newer=""
  jar="$(brook_jar)"
  if [ -n "$jar" ]; then
    newer="$(find "$REPO_ROOT" \( -name target -o -name .git -o -path "$BENCH_DIR" -o -name node_modules \) -prune \
      -o \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$jar" -print -quit)"
  fi
  if [ -z "$jar" ] || [ -n "$newer" ]; then
    log "building Brook (mvn -q -B -DskipTests package)${newer:+: $newer is newer than the jar}"
    (cd "$REPO_ROOT" && mvn_quiet 1800 "$BENCH_CACHE/build-brook.log" -DskipTests package) || die "the Brook build failed"
    jar="$(brook_jar)" || die "no brook-server/target/brook-server-*.jar after the build"
  fi
  [ -d "$REPO_ROOT/brook-server/target/lib" ] || die "brook-server/target/lib/ (runtime dependencies) is missing"
}

# A Kafka cluster id: 16 random bytes in URL-safe base64 without padding, not starting with '-'.
kafka_cluster_id() {
  "$PY" -c 'import base64, os
while True:
    s = base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")
    if not s.startswith("-"):
        print(s)
        break'
}

# Single-node KRaft Kafka: combined broker+controller, loopback only. Settings are those of the
# binary distribution's config/server.properties; no flush settings, so Kafka's defaults apply
# (log.flush.interval.messages/ms unset: the OS writes pages back, Kafka never fsyncs before acking).
write_kafka_properties() { # DIR PORT CONTROLLER_PORT
  cat > "$1/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$3
listeners=PLAINTEXT://127.0.0.1:$2,CONTROLLER://127.0.0.1:$3
advertised.listeners=PLAINTEXT://127.0.0.1:$2,CONTROLLER://127.0.0.1:$3
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$1/data
num.network.threads=3
num.io.threads=8
socket.send.buffer.bytes=102400
socket.receive.buffer.bytes=102400
socket.request.max.bytes=104857600
num.partitions=1
num.recovery.threads.per.data.dir=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
log.retention.hours=168
log.segment.bytes=1073741824
log.retention.check.interval.ms=300000
group.initial.rebalance.delay.ms=0
PROPS
}

# launch_kafka DIR PORT CONTROLLER_PORT: format (timed, B_FORMAT_MS) then launch; sets B_PID, T0.
launch_kafka() {
  local dir="$1" t
  write_kafka_properties "$dir" "$2" "$3"
  t="$(now_ms)"
  if [ -n "${B_SKIP_FORMAT:-}" ]; then
    B_FORMAT_MS=""
  # shellcheck disable=SC2086 # BENCH_KAFKA_FORMAT_ARGS: extra format options, e.g. --feature transaction.version=1
  elif ! tool "$dir/format.out" kafka.tools.StorageTool format --standalone ${BENCH_KAFKA_FORMAT_ARGS:-} -t "$(kafka_cluster_id)" -c "$dir/server.properties"; then
    log "  formatting failed:"; tail -5 "$dir/format.out"; return 1
  else
    B_FORMAT_MS=$(( $(now_ms) - t ))
  fi
  B_OUT="$dir/broker.out"
  T0="$(now_ms)"
  # shellcheck disable=SC2086
  setsid "$JAVA" $BENCH_HEAP $BENCH_JVM_OPTS -Dkafka.logs.dir="$dir" \
    -Dlog4j2.configurationFile="$BENCH_DIR/config/broker-log4j2.properties" \
    -cp "$KAFKA_LIB/*" kafka.Kafka "$dir/server.properties" < /dev/null > "$B_OUT" 2>&1 &
  B_PID=$!
}

# launch_brook DIR PORT: the Brook server from this checkout (or BENCH_BROOK_CMD); sets B_PID, T0.
launch_brook() {
  local dir="$1" port="$2"
  B_OUT="$dir/broker.out"
  if [ -n "${BENCH_BROOK_CMD:-}" ]; then
    # A stand-in for Brook: run with BENCH_PORT/BENCH_DATA_DIR set; it must exec the broker process.
    T0="$(now_ms)"
    (cd "$dir" && BENCH_PORT="$port" BENCH_DATA_DIR="$dir/data" exec setsid bash -c "exec $BENCH_BROOK_CMD") \
      < /dev/null > "$B_OUT" 2>&1 &
    B_PID=$!
    return 0
  fi
  local jar; jar="$(brook_jar)" || { log "  no Brook jar"; return 1; }
  T0="$(now_ms)"
  # shellcheck disable=SC2086
  (cd "$dir" && exec setsid "$JAVA" $BENCH_HEAP $BENCH_JVM_OPTS -cp "$jar:$REPO_ROOT/brook-server/target/lib/*" \
    io.brook.server.BrookCommand server --override "listeners=PLAINTEXT://localhost:$port" \
    --override "log.dir=$dir/data" --override group.initial.rebalance.delay.ms=0 \
    --override http.listeners=http://127.0.0.1:0 ${BENCH_BROOK_ARGS:-}) < /dev/null > "$B_OUT" 2>&1 &
  B_PID=$!
}

# start_broker brook|kafka DIR
start_broker() {
  local kind="$1" dir="$2" ports port cport rc host
  mkdir -p "$dir/data"
  ports="${B_PORTS:-$(free_ports)}"; port="${ports% *}"; cport="${ports#* }"
  B_FORMAT_MS=""; B_STARTUP_MS=""
  if [ "$kind" = kafka ] || [ "${BENCH_BROOK_CMD:-}" = kafka ]; then
    host=127.0.0.1
    launch_kafka "$dir" "$port" "$cport" || return 1
  else
    host=localhost
    launch_brook "$dir" "$port" || return 1
  fi
  B_BOOTSTRAP="$host:$port"
  B_STARTUP_MS="$("$PY" "$BENCH_DIR/lib/probe.py" "$host" "$port" "$T0" "$BENCH_START_TIMEOUT" "$B_PID")"; rc=$?
  if [ $rc -ne 0 ]; then
    if [ $rc -eq 3 ]; then log "  $kind exited during start-up:"; else log "  $kind did not answer within ${BENCH_START_TIMEOUT}s:"; fi
    tail -15 "$B_OUT" | sed 's/^/    /'
    stop_broker
    return 1
  fi
}

# stop_broker: SIGTERM, SIGKILL after BENCH_STOP_TIMEOUT; sets B_STOP_MS. Safe to call twice.
stop_broker() {
  local pid="$B_PID" t end
  B_STOP_MS=""
  [ -n "$pid" ] || return 0
  B_PID=""
  if alive "$pid"; then
    t="$(now_ms)"; end=$((SECONDS + BENCH_STOP_TIMEOUT))
    kill -TERM "$pid" 2>/dev/null
    while alive "$pid" && [ $SECONDS -lt $end ]; do sleep 0.1; done
    if alive "$pid"; then
      log "  broker pid $pid still running ${BENCH_STOP_TIMEOUT}s after SIGTERM: SIGKILL"
      kill -KILL "$pid" 2>/dev/null
    else
      B_STOP_MS=$(( $(now_ms) - t ))
    fi
  fi
  wait "$pid" 2>/dev/null
  return 0
}
