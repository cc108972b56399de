package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.GroupReader;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.ReplicatedLogCheck;
import io.brook.it.harness.SequencedLoad;

/**
 * A rolling restart (graceful stop, start on the same data, wait for full ISR, next node) of all three nodes under
 * acks=all load: clients keep working throughout and no acknowledged record is lost or duplicated.
 */
@BrookClusterTest(nodes = 3)
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class RollingRestartTest {

    private static final Logger LOG = LoggerFactory.getLogger(RollingRestartTest.class);
    private static final int PARTITIONS = 3;

    @Test
    void shouldLoseNoAcknowledgedRecordWhenEveryNodeIsRestartedInTurnUnderLoad(BrookCluster cluster) {
        // given
        String topic = JavaClients.uniqueTopic("rolling");
        cluster.createTopic(topic, PARTITIONS, 3, Map.of("min.insync.replicas", "2"));
        try (SequencedLoad load = SequencedLoad.start(cluster.clients(), "load", topic, PARTITIONS, 600, Map.of());
                GroupReader reader = GroupReader.start(cluster.clients(), JavaClients.uniqueGroup("rolling"),
                        topic)) {
            load.awaitMoreAcked(1_000, Duration.ofSeconds(60));

            // when each node in turn is stopped gracefully and started again
            for (int id : cluster.nodeIds()) {
                long start = System.nanoTime();
                cluster.stop(id);
                load.awaitMoreAcked(300, Duration.ofSeconds(60)); // two of three replicas satisfy min.insync=2
                cluster.restart(id);
                cluster.awaitFullIsr(topic);
                LOG.info("FIGURE rolling restart: node {} stopped, restarted and back in every ISR in {} ms", id,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                load.awaitMoreAcked(300, Duration.ofSeconds(60));
            }
            load.stop();
            LOG.info("load acked {} failed {} (last failure {})", load.ackedCount(), load.failedCount(),
                    String.valueOf(load.lastFailure()));

            // then
            ReplicatedLogCheck.verify(cluster.clients(), JavaClients.partitions(topic, PARTITIONS),
                    load.acknowledged());
            reader.awaitSeen(ReplicatedLogCheck.values(load.acknowledged()), Duration.ofSeconds(90));
            assertThat(reader.failure()).as("group consumer error").isNull();
            assertThat(load.failedCount()).as("records the producer gave up on (last: %s)", load.lastFailure())
                    .isZero();
        }
    }
}
