package io.brook.broker.handlers.group;

import static io.brook.broker.handlers.group.EndToEndClients.poll;
import static io.brook.broker.handlers.group.EndToEndClients.produce;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.Broker;
import io.brook.broker.config.BrokerConfig;

/** A real KafkaConsumer with {@code group.protocol=consumer} (KIP-848) against an in-process broker. */
class ConsumerProtocolEndToEndTest {

    @TempDir
    Path dir;

    private Broker start() throws Exception {
        return Broker.start(BrokerConfig.parse(Map.of(BrokerConfig.LISTENERS, "PLAINTEXT://localhost:0",
                BrokerConfig.LOG_DIRS, dir.toString(), BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "5",
                BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, "200",
                BrokerConfig.GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS, "200")));
    }

    @Test
    void shouldConsumeCommitAndResumeAfterABrokerRestart() throws Exception {
        String bootstrap;
        try (Broker broker = start()) {
            bootstrap = "localhost:" + broker.boundPort("PLAINTEXT");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1))).all().get();
            }
            produce(bootstrap, 0, 10);
            try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
                consumer.subscribe(List.of("orders"));
                assertThat(poll(consumer, 10)).hasSize(10);
                consumer.commitSync();
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                    ConsumerGroupDescription description = admin.describeConsumerGroups(List.of("billing")).all()
                            .get().get("billing");
                    assertThat(description.type()).isEqualTo(GroupType.CONSUMER);
                    assertThat(description.members()).hasSize(1);
                    assertThat(description.members().iterator().next().assignment().topicPartitions())
                            .hasSize(2);
                }
            }
        }
        try (Broker broker = start()) {
            bootstrap = "localhost:" + broker.boundPort("PLAINTEXT");
            produce(bootstrap, 10, 15);
            try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
                consumer.subscribe(List.of("orders"));
                assertThat(poll(consumer, 5)).containsExactlyInAnyOrder("v10", "v11", "v12", "v13", "v14");
            }
        }
    }

    @Test
    void shouldSplitPartitionsBetweenTwoMembers() throws Exception {
        try (Broker broker = start()) {
            String bootstrap = "localhost:" + broker.boundPort("PLAINTEXT");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1))).all().get();
            }
            try (KafkaConsumer<String, String> first = consumer(bootstrap);
                    KafkaConsumer<String, String> second = consumer(bootstrap)) {
                first.subscribe(List.of("orders"));
                second.subscribe(List.of("orders"));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while ((first.assignment().size() != 1 || second.assignment().size() != 1)
                        && System.nanoTime() < deadline) {
                    first.poll(Duration.ofMillis(100));
                    second.poll(Duration.ofMillis(100));
                }
                assertThat(first.assignment()).hasSize(1);
                assertThat(second.assignment()).hasSize(1).doesNotContainAnyElementsOf(first.assignment());
                assertThat(List.of(first.groupMetadata().generationId(), second.groupMetadata().generationId()))
                        .allMatch(epoch -> epoch > 0);
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        return EndToEndClients.consumer(bootstrap, ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
    }
}
