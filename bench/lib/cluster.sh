# shellcheck shell=bash
# Sourced by bench/cluster (after common.sh and brokers.sh): a 3-node cluster of one broker kind as three OS processes
# on loopback, every node a combined broker+controller and a voter of the metadata quorum. start_cluster sets
#   C_KIND         brook|kafka (what actually runs: kafka too when BENCH_BROOK_CMD=kafka)
#   C_PID[i]       pid of node i's JVM (i = 1..C_NODES)
#   C_BOOTSTRAP    every node's client listener, comma-separated
#   C_STARTUP_MS   launch of the first node -> DescribeCluster lists every node
#   C_FORMAT_MS    Kafka: formatting the storage of all nodes (in parallel) before the launch; empty for Brook
# Both kinds get the same failure-detection settings, Kafka 4.4's defaults, set explicitly (CLUSTER_TIMING).

C_NODES=3
declare -a C_PID=() C_PORT=() C_CPORT=() C_FORMAT_PIDS=()
C_DIR=""; C_KIND=""; C_BOOTSTRAP=""; C_CLUSTER_ID=""; C_STARTUP_MS=""; C_FORMAT_MS=""

# Kafka 4.4's defaults, given to both brokers so that neither depends on the other's defaults.
CLUSTER_TIMING=(broker.session.timeout.ms=9000 broker.heartbeat.interval.ms=2000 replica.lag.time.max.ms=30000
  controller.quorum.election.timeout.ms=1000 group.initial.rebalance.delay.ms=0)

# free_low_ports N: N distinct free TCP ports from below Linux's ephemeral range (15000-32000), so that an outgoing
# connection's local port cannot take one of them between the pick and the broker's bind (a killed node is restarted
# on its ports, long after the pick).
free_low_ports() {
  "$PY" -c '
import random, socket, sys
n, held = int(sys.argv[1]), []
while len(held) < n:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", random.randrange(15000, 32000)))
        held.append(s)
    except OSError:
        s.close()
print(" ".join(str(s.getsockname()[1]) for s in held))
for s in held:
    s.close()' "$1"
}

cluster_is_kafka() { [ "$C_KIND" = kafka ] || [ "${BENCH_BROOK_CMD:-}" = kafka ]; }

# Host the nodes listen on: Kafka's properties use 127.0.0.1 as bench/run does, Brook's listeners localhost.
cluster_host() { if cluster_is_kafka; then echo 127.0.0.1; else echo localhost; fi; }

cluster_voters() {
  local i host v=""
  host="$(cluster_host)"
  for i in $(seq "$C_NODES"); do v="$v${v:+,}$i@$host:${C_CPORT[$i]}"; done
  echo "$v"
}

# Kafka node i: the single-node properties of brokers.sh with a static 3-voter quorum, and Kafka's defaults for the
# internal topics' replication (3) instead of the single-node sample's 1.
write_kafka_node_properties() { # I
  local i="$1" dir="$C_DIR/node-$1" timing
  write_kafka_properties "$dir" "${C_PORT[$i]}" "${C_CPORT[$i]}"
  timing="$(printf '%s\n' "${CLUSTER_TIMING[@]}")"
  sed -i -e "s/^node.id=.*/node.id=$i/" \
    -e "s/^controller.quorum.bootstrap.servers=.*/controller.quorum.voters=$(cluster_voters)/" \
    -e '/^offsets.topic.replication.factor=/d' -e '/^transaction.state.log.replication.factor=/d' \
    -e '/^transaction.state.log.min.isr=/d' -e '/^share.coordinator.state.topic/d' \
    -e '/^group.initial.rebalance.delay.ms=/d' "$dir/server.properties"
  printf '%s\n' "$timing" >> "$dir/server.properties"
}

# launch_node I: starts node i in the background on its ports and data (also to restart a killed node).
launch_node() {
  local i="$1" dir="$C_DIR/node-$1" jar host s
  host="$(cluster_host)"
  if cluster_is_kafka; then
    # shellcheck disable=SC2086
    setsid "$JAVA" $BENCH_HEAP $BENCH_JVM_OPTS -Dkafka.logs.dir="$dir" \
      -Dlog4j2.configurationFile="$BENCH_DIR/config/broker-log4j2.properties" \
      -cp "$KAFKA_LIB/*" kafka.Kafka "$dir/server.properties" < /dev/null >> "$dir/broker.out" 2>&1 &
    C_PID[$i]=$!
    disown "${C_PID[$i]}"   # bash still reaps it; no job report when the failover run kills it
    return 0
  fi
  jar="$(brook_jar)" || { log "  no Brook jar"; return 1; }
  local args=(node.id="$i" process.roles=broker,controller cluster.id="$C_CLUSTER_ID"
    controller.quorum.voters="$(cluster_voters)" controller.listener.names=CONTROLLER
    listeners="PLAINTEXT://$host:${C_PORT[$i]},CONTROLLER://$host:${C_CPORT[$i]}"
    advertised.listeners="PLAINTEXT://$host:${C_PORT[$i]}"
    listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT inter.broker.listener.name=PLAINTEXT
    log.dir="$dir/data" http.listeners=http://127.0.0.1:0 "${CLUSTER_TIMING[@]}")
  local overrides=()
  for s in "${args[@]}"; do overrides+=(--override "$s"); done
  # shellcheck disable=SC2086
  (cd "$dir" && exec setsid "$JAVA" $BENCH_HEAP $BENCH_JVM_OPTS -cp "$jar:$REPO_ROOT/brook-server/target/lib/*" \
    io.brook.server.BrookCommand server "${overrides[@]}" ${BENCH_BROOK_ARGS:-}) < /dev/null >> "$dir/broker.out" 2>&1 &
  C_PID[$i]=$!
  disown "${C_PID[$i]}"
}

# start_cluster brook|kafka DIR: fresh data, (Kafka) storage formatted on every node, all nodes launched at once;
# returns non-zero (after printing why) unless DescribeCluster lists every node within BENCH_START_TIMEOUT.
start_cluster() {
  local kind="$1" i ports t0 rc ok=1
  C_KIND="$kind"; C_DIR="$2"; C_STARTUP_MS=""; C_FORMAT_MS=""; C_PID=()
  read -r -a ports <<< "$(free_low_ports $((C_NODES * 2)))"
  C_BOOTSTRAP=""
  for i in $(seq "$C_NODES"); do
    C_PORT[$i]="${ports[$(( (i - 1) * 2 ))]}"; C_CPORT[$i]="${ports[$(( (i - 1) * 2 + 1 ))]}"
    mkdir -p "$C_DIR/node-$i/data"
    C_BOOTSTRAP="$C_BOOTSTRAP${C_BOOTSTRAP:+,}$(cluster_host):${C_PORT[$i]}"
  done
  C_CLUSTER_ID="$(kafka_cluster_id)"
  if cluster_is_kafka; then
    t0="$(now_ms)"
    for i in $(seq "$C_NODES"); do
      write_kafka_node_properties "$i"
      # shellcheck disable=SC2086
      timeout -k 10 "$BENCH_TOOL_TIMEOUT" "$JAVA" $TOOL_HEAP $BENCH_JVM_OPTS \
        -Dlog4j2.configurationFile="$BENCH_DIR/config/tools-log4j2.properties" -cp "$KAFKA_LIB/*" \
        kafka.tools.StorageTool format -t "$C_CLUSTER_ID" -c "$C_DIR/node-$i/server.properties" \
        < /dev/null > "$C_DIR/node-$i/format.out" 2>&1 &
      C_FORMAT_PIDS+=($!)
    done
    for i in "${!C_FORMAT_PIDS[@]}"; do
      if ! wait "${C_FORMAT_PIDS[$i]}"; then
        ok=""; log "  formatting node $((i + 1)) failed:"; tail -5 "$C_DIR/node-$((i + 1))/format.out" | sed 's/^/    /'
      fi
    done
    C_FORMAT_PIDS=()
    [ -n "$ok" ] || return 1
    C_FORMAT_MS=$(( $(now_ms) - t0 ))
  fi
  T0="$(now_ms)"
  for i in $(seq "$C_NODES"); do launch_node "$i" || { stop_cluster; return 1; }; done
  tool "$C_DIR/await-cluster.out" ClusterBench await-cluster "$C_BOOTSTRAP" "$C_NODES" "$T0" "$BENCH_START_TIMEOUT"; rc=$?
  for i in $(seq "$C_NODES"); do
    if ! alive "${C_PID[$i]}"; then
      log "  $kind node $i exited during start-up:"; tail -15 "$C_DIR/node-$i/broker.out" | sed 's/^/    /'; rc=1
    fi
  done
  if [ $rc -ne 0 ]; then
    log "  the $kind cluster did not list $C_NODES brokers within ${BENCH_START_TIMEOUT}s: $(tail -1 "$C_DIR/await-cluster.out")"
    stop_cluster
    return 1
  fi
  C_STARTUP_MS="$(sed -n 's/^ready_ms=\([0-9]*\)$/\1/p' "$C_DIR/await-cluster.out")"
}

# restart_node I: relaunches a killed or stopped node on its ports and data (no new storage format).
restart_node() {
  local i="$1"
  if alive "${C_PID[$i]:-}"; then return 0; fi
  wait "${C_PID[$i]}" 2>/dev/null   # reap the killed JVM
  log "  restarting node $i" >> "$C_DIR/node-$i/broker.out"
  launch_node "$i"
}

# dead_nodes: ids of the nodes whose process is not running.
dead_nodes() {
  local i
  for i in $(seq "$C_NODES"); do alive "${C_PID[$i]:-}" || printf '%s ' "$i"; done
}

# quorum_leader_from_logs: for Brook, which answers no DescribeQuorum, the node that led the metadata quorum last
# according to the nodes' logs ("Node N became the metadata quorum leader in term T", highest T, not followed by
# "is no longer" in that term, and still running); "unknown" otherwise. Kafka answers DescribeQuorum itself.
quorum_leader_from_logs() {
  local i best
  cluster_is_kafka && { echo unknown; return; }
  best="$(for i in $(seq "$C_NODES"); do
      sed -n 's/.* - Node \([0-9]*\) \(became\|is no longer\) the metadata quorum leader in term \([0-9]*\)$/\3 \1 \2/p' \
        "$C_DIR/node-$i/broker.out" 2>/dev/null
    done | awk '{ key = $1 " " $2; state[key] = $3 } END { for (k in state) if (state[k] == "became") print k }' \
    | sort -n -k1,1 | tail -1 | cut -d' ' -f2)"
  if [ -n "$best" ] && alive "${C_PID[$best]:-}"; then echo "$best"; else echo unknown; fi
}

node_pids() { # "1=PID,2=PID,3=PID" for ClusterBench failover
  local i s=""
  for i in $(seq "$C_NODES"); do s="$s${s:+,}$i=${C_PID[$i]}"; done
  echo "$s"
}

cluster_cpu_ticks() { # user+system ticks of all running nodes
  local i t=0 c
  for i in $(seq "$C_NODES"); do c="$(cpu_ticks "${C_PID[$i]:-0}")"; t=$((t + ${c:-0})); done
  echo "$t"
}

# stop_cluster: SIGTERM to every node at once (one by one would leave the last ones without a quorum), SIGKILL
# after BENCH_CLUSTER_STOP_TIMEOUT (20 s). Shutdown is not measured here, and a Kafka node whose controlled shutdown
# started after the other voters were gone waits for a quorum that will not come back. Safe to call twice.
stop_cluster() {
  local i pid end
  for pid in "${C_FORMAT_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  C_FORMAT_PIDS=()
  for i in "${!C_PID[@]}"; do pid="${C_PID[$i]}"; alive "$pid" && kill -TERM "$pid" 2>/dev/null; done
  end=$((SECONDS + ${BENCH_CLUSTER_STOP_TIMEOUT:-20}))
  for i in "${!C_PID[@]}"; do
    pid="${C_PID[$i]}"
    while alive "$pid" && [ $SECONDS -lt $end ]; do sleep 0.1; done
    if alive "$pid"; then
      log "  node $i (pid $pid) still running ${BENCH_CLUSTER_STOP_TIMEOUT:-20}s after SIGTERM: SIGKILL"
      kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
  done
  C_PID=()
  return 0
}
