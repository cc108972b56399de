package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.FailoverProbe;
import io.brook.it.harness.FastFailureDetection;
import io.brook.it.harness.GroupReader;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.ReplicatedLogCheck;
import io.brook.it.harness.SequencedLoad;

/**
 * SIGKILL of a partition leader in a 3-node cluster under acks=all load: the clients recover by themselves, no
 * acknowledged record is lost or duplicated, and the killed node comes back into the ISR. Logs the failover time
 * (kill until the next acks=all produce to that partition is acknowledged).
 *
 * <p>The brokers run with {@link FastFailureDetection} (a 4 s session instead of Kafka's 9 s) to keep the suite short,
 * so the logged figure is not the one to compare with Kafka: the failover figures with Kafka's defaults, quoted in
 * README.md and bench/README.md, come from {@code bench/cluster} only.
 */
@BrookClusterTest(nodes = 3, overrides = {FastFailureDetection.SESSION_TIMEOUT,
        FastFailureDetection.HEARTBEAT_INTERVAL})
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LeaderFailoverTest {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderFailoverTest.class);
    private static final int PARTITIONS = 3;

    @Test
    void shouldLoseNoAcknowledgedRecordWhenLeaderIsKilledUnderLoad(BrookCluster cluster) {
        // given an RF=3 topic with min.insync.replicas=2 under acks=all load, read by a consumer group
        String topic = JavaClients.uniqueTopic("failover");
        cluster.createTopic(topic, PARTITIONS, 3, Map.of("min.insync.replicas", "2"));
        TopicPartition watched = new TopicPartition(topic, 0);
        try (SequencedLoad load = SequencedLoad.start(cluster.clients(), "load", topic, PARTITIONS, 600, Map.of());
                GroupReader reader = GroupReader.start(cluster.clients(), JavaClients.uniqueGroup("failover"),
                        topic);
                FailoverProbe probe = FailoverProbe.open(cluster.clients(), "probe", watched)) {
            load.awaitMoreAcked(1_500, Duration.ofSeconds(60));
            int leader = cluster.leaderOf(watched);

            // when the leader of the watched partition is killed
            Duration failover = probe.measure(() -> cluster.kill(leader), Duration.ofSeconds(60));
            LOG.info("FIGURE failover ({}, not Kafka's default; see bench/cluster): kill -9 of leader {} of {} until "
                    + "the next acks=all produce succeeded: {} ms", FastFailureDetection.SESSION_TIMEOUT, leader,
                    watched, failover.toMillis());

            // then the clients keep going without the dead node, and again once it is back
            int newLeader = cluster.awaitLeader(watched, java.util.Set.of(leader));
            load.awaitMoreAcked(1_000, Duration.ofSeconds(60));
            cluster.restart(leader);
            cluster.awaitFullIsr(topic);
            load.awaitMoreAcked(500, Duration.ofSeconds(60));
            load.stop();
            LOG.info("new leader {}; load acked {} failed {} (last failure {})", newLeader, load.ackedCount(),
                    load.failedCount(), String.valueOf(load.lastFailure()));

            // then: every acknowledged record exactly once, in order, at its offset; the group saw all of them
            ReplicatedLogCheck.verify(cluster.clients(), JavaClients.partitions(topic, PARTITIONS),
                    load.acknowledged(), probe.acknowledged());
            reader.awaitSeen(ReplicatedLogCheck.values(load.acknowledged(), probe.acknowledged()),
                    Duration.ofSeconds(90));
            assertThat(reader.failure()).as("group consumer error").isNull();
            assertThat(cluster.describe(watched).isr()).extracting(n -> n.id()).contains(leader);
            assertThat(load.failedCount()).as("records the producer gave up on (last: %s)", load.lastFailure())
                    .isZero();
        }
    }
}
