package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.JavaClients;

/**
 * One controller and three broker-only nodes, all launched at once (the harness launches every node before waiting
 * for any): the three join the metadata quorum as listeners concurrently, and every one of them must finish starting.
 */
@BrookClusterTest(nodes = 4, controllers = 1)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BrokerOnlyNodesStartTest {

    @Test
    void shouldStartEveryBrokerOnlyNodeWhenTheyJoinTheQuorumAtTheSameTime(BrookCluster cluster) throws Exception {
        // given four nodes the extension saw start (it waited until each was ready)
        try (Admin admin = cluster.admin(Duration.ofSeconds(30))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).extracting(Node::id)
                    .containsExactlyInAnyOrder(1, 2, 3, 4);
        }

        // when a topic is replicated on the broker-only nodes
        String topic = JavaClients.uniqueTopic("listeners");
        TopicPartition partition = new TopicPartition(topic, 0);
        cluster.createTopic(topic, Map.of(0, List.of(2, 3, 4)), Map.of());
        cluster.awaitFullIsr(topic);
        try (KafkaProducer<String, String> producer = JavaClients.producer(cluster.clients(), Map.of())) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "v")).get(30, TimeUnit.SECONDS);
        }

        // then each of them follows the metadata and serves it
        assertThat(cluster.describe(partition).isr()).extracting(Node::id).containsExactlyInAnyOrder(2, 3, 4);
        List<ConsumerRecord<String, String>> records = JavaClients.readAll(cluster.clients(), List.of(partition),
                Duration.ofSeconds(30));
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("v");
    }
}
