package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.WorkDirs;

/**
 * Three nodes whose inter-broker listener REPLICATION is SASL_PLAINTEXT with PLAIN: followers log in with the
 * listener's JAAS username and password before fetching, so an acks=all produce with min.insync.replicas=3 succeeds
 * only if every follower's login works.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SaslReplicationTest {

    private static final Pattern RATIS_APPEND_TO_CLOSING_VOTER = Pattern
            .compile("ERROR o\\.a\\.ratis\\.server\\.RaftServer\\$Division - \\d+@group-\\w+: Failed appendEntries");

    @Test
    void shouldReplicateWhenInterBrokerListenerIsSaslPlaintext() throws IOException, Exception {
        Path workDir = WorkDirs.create("SaslReplicationTest");
        try (BrookCluster cluster = BrookCluster.builder(workDir).nodes(3).replicationProtocol("SASL_PLAINTEXT")
                .overrides(List.of(
                        "listener.name.replication.sasl.enabled.mechanisms=PLAIN",
                        "sasl.mechanism.inter.broker.protocol=PLAIN",
                        "listener.name.replication.plain.sasl.jaas.config="
                                + "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                + " username=\"broker\" password=\"broker-secret\" user_broker=\"broker-secret\";"))
                .build()) {
            cluster.expectLogLine(RATIS_APPEND_TO_CLOSING_VOTER);
            cluster.start();
            String topic = JavaClients.uniqueTopic("sasl-replicated");
            try (Admin admin = cluster.admin(Duration.ofSeconds(30))) {
                admin.createTopics(List.of(new NewTopic(topic, 2, (short) 3)
                        .configs(Map.of("min.insync.replicas", "3")))).all().get(30, TimeUnit.SECONDS);
            }
            cluster.awaitFullIsr(topic);

            List<String> values = IntStream.range(0, 500).mapToObj(i -> "replicated-" + i).toList();
            try (KafkaProducer<String, String> producer = JavaClients.producer(cluster.clients(),
                    Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
                for (String value : values) {
                    producer.send(new ProducerRecord<>(topic, 0, null, value)).get(30, TimeUnit.SECONDS);
                }
            }

            assertThat(cluster.describe(new TopicPartition(topic, 0)).isr()).hasSize(3);
            List<ConsumerRecord<String, String>> records = JavaClients.readAll(cluster.clients(),
                    List.of(new TopicPartition(topic, 0)), Duration.ofSeconds(30));
            assertThat(records).extracting(ConsumerRecord::value).containsExactlyElementsOf(values);
        }
    }
}
