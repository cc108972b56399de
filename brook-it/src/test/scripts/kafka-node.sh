#!/usr/bin/env bash
# A BROOK_IT_LAUNCHER that runs Apache Kafka instead of Brook, to check the tests themselves against the reference:
#   KAFKA_LIB=/dir/with/kafka-4.4.0/jars BROOK_IT_LAUNCHER=brook-it/src/test/scripts/kafka-node.sh mvn ... -Dtest=...
# Usage (by the harness): kafka-node.sh PORT DATADIR [name=value...]. Writes DATADIR/../server.properties (later
# lines win), formats DATADIR once with the cluster.id given among the properties (a random one otherwise), then
# execs the broker in the foreground so the harness's kill and stop reach the JVM itself.
set -euo pipefail
PORT="$1"; DATADIR="$2"; shift 2
: "${KAFKA_LIB:?set KAFKA_LIB to a directory holding Apache Kafka 4.4.0 and its dependencies as jars}"
JAVA="${JAVA:-java}"
mkdir -p "$DATADIR"
NODEDIR="$(cd "$DATADIR/.." && pwd)"
PROPS="$NODEDIR/server.properties"
CID=""
{
  echo "listeners=PLAINTEXT://localhost:$PORT"
  echo "group.initial.rebalance.delay.ms=0"
  for kv in "$@"; do
    case "$kv" in
      cluster.id=*) CID="${kv#cluster.id=}" ;;
      *) echo "$kv" ;;
    esac
  done
  echo "log.dirs=$DATADIR"
} > "$PROPS"
cat > "$NODEDIR/log4j2.properties" <<'LOG'
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = %d{HH:mm:ss.SSS} [%t] %-5p %c{1} - %m%n
rootLogger.level = WARN
rootLogger.appenderRef.out.ref = OUT
LOG
if [ ! -f "$DATADIR/meta.properties" ]; then
  [ -n "$CID" ] || CID="$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  "$JAVA" -Xmx256m -Dlog4j2.configurationFile="$NODEDIR/log4j2.properties" -cp "$KAFKA_LIB/*" \
    kafka.tools.StorageTool format -t "$CID" -c "$PROPS" --ignore-formatted > "$NODEDIR/format.out" 2>&1
fi
exec "$JAVA" -Xmx512m -XX:+UseG1GC -Dlog4j2.configurationFile="$NODEDIR/log4j2.properties" -cp "$KAFKA_LIB/*" \
  kafka.Kafka "$PROPS"
