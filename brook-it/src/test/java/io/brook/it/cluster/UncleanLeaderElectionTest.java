package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.LogTruncationException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.PreferredLeaderNotAvailableException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.JavaClients;

/**
 * The data-loss path Kafka leaves to the operator: both replicas of a partition die, the out-of-sync one comes back
 * first, the partition stays offline (unclean.leader.election.enable is off) until an unclean ElectLeaders makes it
 * leader with a shorter log. A Java consumer that had read past that point detects the truncation as it does against
 * Kafka (OffsetForLeaderEpoch: LogTruncationException with the divergent offset); the old leader, restarted,
 * truncates its tail to the new leader's log, rejoins the ISR, and the controller gives it back its preferred
 * leadership. Node 1 is the only controller, so the quorum is never at risk.
 */
@BrookClusterTest(nodes = 3, controllers = 1, overrides = {"broker.session.timeout.ms=4000",
        "broker.heartbeat.interval.ms=500", "leader.imbalance.check.interval.seconds=1"})
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class UncleanLeaderElectionTest {

    private static final int LEADER = 2;
    private static final int FOLLOWER = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shouldStayOfflineUntilAnUncleanElectionThenLetConsumersDetectTheTruncation(BrookCluster cluster)
            throws Exception {
        // given a partition on nodes 2 (preferred leader) and 3, with 10 records on both
        String topic = JavaClients.uniqueTopic("unclean");
        TopicPartition tp = new TopicPartition(topic, 0);
        cluster.createTopic(topic, Map.of(0, List.of(LEADER, FOLLOWER)), Map.of("min.insync.replicas", "1"));
        try (KafkaProducer<String, String> producer = JavaClients.producer(cluster.clients(),
                Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        10_000));
                KafkaConsumer<String, String> reader = JavaClients.consumer(cluster.clients(),
                        Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
            send(producer, topic, "in-sync", 10);
            reader.assign(List.of(tp));
            reader.seek(tp, 0);
            assertThat(values(poll(reader, 10))).allMatch(v -> v.startsWith("in-sync"));

            // and 10 more acknowledged by node 2 alone once node 3 died and left the ISR
            cluster.kill(FOLLOWER);
            cluster.awaitIsr(tp, Set.of(LEADER));
            send(producer, topic, "leader-only", 10);
            assertThat(values(poll(reader, 10))).allMatch(v -> v.startsWith("leader-only"));

            // when node 2 dies too and node 3, out of sync, comes back
            cluster.kill(LEADER);
            Awaitility.await("partition offline").atMost(WAIT).ignoreExceptions()
                    .until(() -> cluster.describe(tp).leader() == null || cluster.describe(tp).leader().isEmpty());
            cluster.restart(FOLLOWER);

            // then the partition stays offline: an out-of-sync replica is not elected by default
            assertThat(cluster.describe(tp).leader()).satisfiesAnyOf(l -> assertThat(l).isNull(),
                    l -> assertThat(l.isEmpty()).isTrue());
            try (Admin admin = cluster.admin()) {
                assertThat(admin.electLeaders(ElectionType.PREFERRED, Set.of(tp)).partitions()
                        .get(30, TimeUnit.SECONDS).get(tp)).hasValueSatisfying(
                                e -> assertThat(e).isInstanceOf(PreferredLeaderNotAvailableException.class));

                // when the operator accepts the loss
                assertThat(admin.electLeaders(ElectionType.UNCLEAN, Set.of(tp)).partitions().get(30, TimeUnit.SECONDS)
                        .get(tp)).isEmpty();
            }
            assertThat(cluster.awaitLeader(tp, Set.of(LEADER))).isEqualTo(FOLLOWER);

            // then the consumer that read the 10 lost records learns where the logs diverge
            AtomicReference<LogTruncationException> truncation = new AtomicReference<>();
            Awaitility.await("truncation detected").atMost(WAIT).until(() -> {
                try {
                    reader.poll(Duration.ofMillis(200));
                    return false;
                } catch (LogTruncationException e) {
                    truncation.set(e);
                    return true;
                }
            });
            OffsetAndMetadata divergent = truncation.get().divergentOffsets().get(tp);
            assertThat(divergent.offset()).isEqualTo(10);

            // and, repositioned there, reads what the new leader accepts after the loss
            reader.seek(tp, divergent);
            send(producer, topic, "after-loss", 5);
            assertThat(values(poll(reader, 5))).allMatch(v -> v.startsWith("after-loss"));

            // when node 2 returns: it drops its unreplicated tail, catches up, rejoins the ISR and (automatic leader
            // rebalance) leads again as the preferred replica
            cluster.restart(LEADER);
            cluster.awaitIsr(tp, Set.of(LEADER, FOLLOWER));
            Awaitility.await("preferred leader restored").atMost(WAIT).ignoreExceptions()
                    .until(() -> cluster.describe(tp).leader().id() == LEADER);

            // then every replica serves the survivor's log: the first 10 records, then the 5 written after the loss
            List<String> log = values(JavaClients.readAll(cluster.clients(), List.of(tp), WAIT));
            assertThat(log).hasSize(15);
            assertThat(log.subList(0, 10)).allMatch(v -> v.startsWith("in-sync"));
            assertThat(log.subList(10, 15)).allMatch(v -> v.startsWith("after-loss"));
        }
    }

    /** Sends {@code count} records and waits until every one is acknowledged. */
    private static void send(KafkaProducer<String, String> producer, String topic, String prefix, int count)
            throws Exception {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sends.add(producer.send(new ProducerRecord<>(topic, 0, "k", prefix + "-" + i)));
        }
        for (Future<RecordMetadata> send : sends) {
            send.get(30, TimeUnit.SECONDS);
        }
    }

    private static List<ConsumerRecord<String, String>> poll(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        Awaitility.await(count + " records").atMost(WAIT)
                .until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                    return records.size() >= count;
                });
        return records;
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
