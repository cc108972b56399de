package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.ReplicatedLogCheck;
import io.brook.it.harness.SequencedLoad;

/**
 * A network partition isolating a partition leader from its followers and the controller quorum (node 4, a broker
 * whose inter-broker and quorum traffic goes through cuttable proxies; its client listener stays reachable): it cannot
 * acknowledge acks=all writes, the majority elects a new leader and keeps accepting writes, and after healing the old
 * leader drops its unacknowledged tail, catches up, and serves the majority's log when it leads again.
 */
@BrookClusterTest(nodes = 4, controllers = 3, proxied = 4)
@Timeout(value = 360, unit = TimeUnit.SECONDS)
class NetworkPartitionTest {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkPartitionTest.class);
    private static final int ISOLATED = 4;
    /**
     * Shorter than the time the controllers need to fence a silent broker (broker.session.timeout.ms, 9 s, counted
     * from its last heartbeat, at most 2 s before the cut): a record acknowledged within it can only have been
     * acknowledged by the isolated leader itself, which must never happen.
     */
    private static final int ISOLATED_DELIVERY_TIMEOUT_MS = 5_000;

    @Test
    void shouldNotAcknowledgeOnIsolatedLeaderAndTruncateItsTailAfterHealing(BrookCluster cluster) throws Exception {
        // given a partition led by node 4, under load from clients on the majority side
        String topic = JavaClients.uniqueTopic("partitioned");
        TopicPartition partition = new TopicPartition(topic, 0);
        cluster.createTopic(topic, Map.of(0, List.of(ISOLATED, 1, 2)), Map.of("min.insync.replicas", "2"));
        assertThat(cluster.leaderOf(partition)).isEqualTo(ISOLATED);
        try (SequencedLoad load = SequencedLoad.start(cluster.clients(), "load", topic, 1, 300, Map.of());
                KafkaProducer<String, String> isolatedClient = JavaClients.producer(cluster.node(ISOLATED), Map.of(
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.LINGER_MS_CONFIG, 0,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, ISOLATED_DELIVERY_TIMEOUT_MS - 500,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ISOLATED_DELIVERY_TIMEOUT_MS,
                        ProducerConfig.CLIENT_ID_CONFIG, "isolated-side"))) {
            load.awaitMoreAcked(500, Duration.ofSeconds(60));
            isolatedClient.send(new ProducerRecord<>(topic, 0, "warm", "warm-up:0:0")).get(30, TimeUnit.SECONDS);

            // when node 4 is cut off and a client that still sees it as leader writes to it
            cluster.isolate(ISOLATED);
            List<String> isolatedValues = new ArrayList<>();
            List<Future<RecordMetadata>> isolatedSends = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String value = "isolated:0:" + i;
                isolatedValues.add(value);
                isolatedSends.add(isolatedClient.send(new ProducerRecord<>(topic, 0, "isolated", value)));
            }

            // then none of those writes is acknowledged
            List<String> acknowledgedByIsolated = new ArrayList<>();
            for (int i = 0; i < isolatedSends.size(); i++) {
                try {
                    isolatedSends.get(i).get(ISOLATED_DELIVERY_TIMEOUT_MS + 10_000, TimeUnit.MILLISECONDS);
                    acknowledgedByIsolated.add(isolatedValues.get(i));
                } catch (ExecutionException | TimeoutException e) {
                    // expected: not enough replicas, or timed out waiting for followers that cannot fetch
                }
            }
            assertThat(acknowledgedByIsolated).as("acks=all writes acknowledged by the isolated leader").isEmpty();

            // and the majority elects a new leader and keeps accepting writes
            int newLeader = cluster.awaitLeader(partition, Set.of(ISOLATED));
            load.awaitMoreAcked(500, Duration.ofSeconds(60));
            LOG.info("majority side elected leader {} while node {} was isolated", newLeader, ISOLATED);

            // when the partition heals
            cluster.heal(ISOLATED);
            cluster.awaitBrokersRegistered(Set.of(1, 2, 3, 4));
            cluster.awaitIsr(partition, Set.of(ISOLATED, 1, 2));
            load.awaitMoreAcked(300, Duration.ofSeconds(60));

            // and node 4, back in the ISR, leads again (preferred leader)
            try (Admin admin = cluster.admin(Duration.ofSeconds(30))) {
                admin.electLeaders(ElectionType.PREFERRED, Set.of(partition)).all().get(30, TimeUnit.SECONDS);
            }
            assertThat(cluster.awaitLeader(partition, Set.of(1, 2, 3))).isEqualTo(ISOLATED);
            load.awaitMoreAcked(300, Duration.ofSeconds(60));
            load.stop();

            // then the log node 4 serves is the majority's: every acknowledged record once, no unacknowledged tail
            Map<TopicPartition, NavigableMap<Long, String>> stored = ReplicatedLogCheck.verify(cluster.clients(),
                    List.of(partition), load.acknowledged());
            assertThat(stored.get(partition).values()).as("unacknowledged writes to the isolated leader")
                    .doesNotContainAnyElementsOf(isolatedValues);
            assertThat(load.failedCount()).as("majority-side records given up (last: %s)", load.lastFailure())
                    .isZero();
        }
    }
}
