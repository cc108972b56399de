package io.brook.it.harness;

/**
 * Broker overrides (as {@code name=value}, usable in {@link BrookClusterTest#overrides()}) that let the controllers
 * fence a killed or silent broker in seconds rather than after Kafka's default 9 s session: for tests that prove
 * what happens after a failover, not how long detection takes (the failover figures with Kafka's defaults come from
 * bench/cluster; LeaderFailoverTest's own FIGURE line says it runs with these).
 *
 * <p>The session is still four heartbeats long, so a busy 2-core CI machine does not fence a live broker; the heartbeat
 * stays at 1 s so that a node cut off from the quorum does not pile up retried metadata queries (NetworkPartitionTest,
 * whose isolated node does, keeps Kafka's defaults).
 */
public final class FastFailureDetection {

    /** Kafka's default is 9000. */
    public static final String SESSION_TIMEOUT = "broker.session.timeout.ms=4000";
    /** Kafka's default is 2000; also how often the active controller looks for expired sessions. */
    public static final String HEARTBEAT_INTERVAL = "broker.heartbeat.interval.ms=1000";

    private FastFailureDetection() {
    }
}
