package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.FastFailureDetection;
import io.brook.it.harness.JavaClients;

/**
 * DeleteRecords in a 3-node cluster: the followers adopt the leader's log start offset through their fetches, and
 * DeleteRecords answers once they all have, so a new leader after a failover still starts where the deletion left
 * the log.
 */
@BrookClusterTest(nodes = 3, overrides = {FastFailureDetection.SESSION_TIMEOUT,
        FastFailureDetection.HEARTBEAT_INTERVAL})
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReplicatedLogStartTest {

    @Test
    void shouldKeepTheDeletedRecordsGoneWhenTheLeaderFailsOver(BrookCluster cluster) throws Exception {
        // given an RF=3 topic with 100 records on every replica
        String topic = JavaClients.uniqueTopic("replicated-delete-records");
        TopicPartition tp = new TopicPartition(topic, 0);
        cluster.createTopic(topic, 1, 3, Map.of("min.insync.replicas", "2"));
        try (KafkaProducer<String, String> producer = JavaClients.producer(cluster.clients(), Map.of())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "v" + i));
            }
            producer.flush();
        }
        cluster.awaitFullIsr(topic);

        try (Admin admin = cluster.admin()) {
            // when records below 60 are deleted and the leader then dies
            long lowWatermark = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(60))).lowWatermarks()
                    .get(tp).get(30, TimeUnit.SECONDS).lowWatermark();
            assertThat(lowWatermark).isEqualTo(60);
            // (DeleteRecords answers only once every in-sync follower has reported the new start, as in Kafka,
            // so the leader can die right away)
            int leader = cluster.leaderOf(tp);
            cluster.kill(leader);
            cluster.awaitLeader(tp, Set.of(leader));

            // then the new leader starts at 60 too
            Awaitility.await("earliest offset on the new leader").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest()))
                            .partitionResult(tp).get(10, TimeUnit.SECONDS).offset()).isEqualTo(60));
            cluster.restart(leader);
        }
    }
}
