package io.brook.broker.handlers.group;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Java clients the in-process group end-to-end tests drive: records "v<i>" into "orders", group "billing". */
final class EndToEndClients {

    private EndToEndClients() {
    }

    /** Writes records {@code from}..{@code to - 1} to the two partitions of "orders", waiting for each. */
    static void produce(String bootstrap, int from, int to) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>("orders", i % 2, "k" + i, "v" + i)).get();
            }
        }
    }

    /** A consumer of group "billing" from the earliest offset, without auto commit, plus one setting. */
    static KafkaConsumer<String, String> consumer(String bootstrap, String setting, String value) {
        Properties props = new Properties();
        props.put(setting, value);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "billing");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /** Polls until {@code expected} values arrived or 30 s passed; returns what arrived. */
    static List<String> poll(KafkaConsumer<String, String> consumer, int expected) {
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
