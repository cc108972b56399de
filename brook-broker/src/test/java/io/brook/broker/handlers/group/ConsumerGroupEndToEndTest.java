package io.brook.broker.handlers.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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

    private static void produce(String bootstrap, int from, int to) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>("orders", i % 2, "k" + i, "v" + i)).get();
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        return consumer(bootstrap, RangeAssignor.class.getName());
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, String assignor) {
        Properties props = new Properties();
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "billing");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static List<String> poll(KafkaConsumer<String, String> consumer, int expected) {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (seen.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                seen.add(record.value());
            }
        }
        return seen;
    }
}
