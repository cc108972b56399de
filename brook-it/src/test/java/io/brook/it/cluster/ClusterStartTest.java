package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.JavaClients;

/** Smoke test of the cluster harness: three nodes start, register, and replicate an RF=3 topic. */
@BrookClusterTest(nodes = 3)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterStartTest {

    @Test
    void shouldRegisterEveryNodeAndReplicateWhenThreeNodesStart(BrookCluster cluster) throws Exception {
        // given three started nodes (the extension waited until DescribeCluster lists all of them)
        String topic = JavaClients.uniqueTopic("smoke");
        TopicPartition partition = new TopicPartition(topic, 0);

        // when
        try (Admin admin = cluster.admin(Duration.ofSeconds(30))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
        cluster.awaitFullIsr(topic);
        try (KafkaProducer<String, String> producer = JavaClients.producer(cluster.clients(), Map.of())) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "v")).get(30, TimeUnit.SECONDS);
        }

        // then
        TopicPartitionInfo info = cluster.describe(partition);
        assertThat(info.replicas()).extracting(n -> n.id()).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(info.isr()).extracting(n -> n.id()).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(info.leader().id()).isIn(1, 2, 3);
        List<ConsumerRecord<String, String>> records = JavaClients.readAll(cluster.clients(), List.of(partition),
                Duration.ofSeconds(30));
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("v");
    }
}
