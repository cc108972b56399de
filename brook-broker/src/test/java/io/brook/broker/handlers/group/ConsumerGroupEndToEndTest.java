package io.brook.broker.handlers.group;

import static io.brook.broker.handlers.group.EndToEndClients.poll;
import static io.brook.broker.handlers.group.EndToEndClients.produce;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.Broker;
import io.brook.broker.config.BrokerConfig;

/** A real KafkaConsumer (classic protocol) in a group against an in-process broker on real storage. */
class ConsumerGroupEndToEndTest {

    @TempDir
    Path dir;

    private Broker start() throws Exception {
        return Broker.start(BrokerConfig.parse(Map.of(BrokerConfig.LISTENERS, "PLAINTEXT://localhost:0",
                BrokerConfig.LOG_DIRS, dir.toString(), BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0",
                BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "5")));
    }

    @Test
    void shouldResumeFromTheCommittedOffsetAfterABrokerRestart() throws Exception {
        String bootstrap;
        try (Broker broker = start()) {
            bootstrap = "localhost:" + broker.boundPort("PLAINTEXT");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1))).all().get();
            }
            produce(bootstrap, 0, 10);
            try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
                consumer.subscribe(List.of("orders"));
                List<String> seen = poll(consumer, 10);
                assertThat(seen).hasSize(10);
                consumer.commitSync();
                assertThat(consumer.committed(java.util.Set.of(new TopicPartition("orders", 0),
                        new TopicPartition("orders", 1))).values().stream().mapToLong(OffsetAndMetadata::offset)
                        .sum()).isEqualTo(10);
            }
        }
        try (Broker broker = start()) {
            bootstrap = "localhost:" + broker.boundPort("PLAINTEXT");
            produce(bootstrap, 10, 15);
            try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
                consumer.subscribe(List.of("orders"));
                List<String> seen = poll(consumer, 5);
                assertThat(seen).containsExactlyInAnyOrder("v10", "v11", "v12", "v13", "v14");
            }
        }
    }

    @Test
    void shouldSplitPartitionsBetweenTwoMembersWithTheCooperativeStickyAssignor() throws Exception {
        try (Broker broker = start()) {
            String bootstrap = "localhost:" + broker.boundPort("PLAINTEXT");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1))).all().get();
            }
            try (KafkaConsumer<String, String> first = consumer(bootstrap, CooperativeStickyAssignor.class.getName());
                    KafkaConsumer<String, String> second = consumer(bootstrap,
                            CooperativeStickyAssignor.class.getName())) {
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
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        return consumer(bootstrap, RangeAssignor.class.getName());
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, String assignor) {
        return EndToEndClients.consumer(bootstrap, ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor);
    }
}
