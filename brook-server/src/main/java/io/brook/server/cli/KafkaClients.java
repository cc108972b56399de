package io.brook.server.cli;

import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Makes the Kafka clients a command talks through; tests inject their own. Implementations are thread-safe. */
public interface KafkaClients {

    Admin admin(Map<String, Object> config);

    Producer<byte[], byte[]> producer(Map<String, Object> config);

    Consumer<byte[], byte[]> consumer(Map<String, Object> config);

    /** The real kafka-clients, with byte-array keys and values. */
    static KafkaClients real() {
        return new KafkaClients() {
            @Override
            public Admin admin(Map<String, Object> config) {
                return Admin.create(config);
            }

            @Override
            public Producer<byte[], byte[]> producer(Map<String, Object> config) {
                return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
            }

            @Override
            public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
                return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            }
        };
    }
}
