package io.brook.it.txn;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A consume-transform-produce application run as its own process by {@link ExactlyOnceTest}, so the test can kill it
 * mid-stream: reads {@code input} in group {@code group}, writes {@code out-<value>} for each record to {@code output}
 * and the consumed offsets in the same transaction (sendOffsetsToTransaction). Prints {@code committed <n>} after each
 * transaction (n: records copied by this process) and exits once every input partition is consumed to the end it had
 * at start-up.
 *
 * <p>Arguments: bootstrap servers, input topic, output topic, group id, transactional id, and optionally the
 * {@code group.protocol} (classic by default).
 */
public final class CopyApplication {

    private CopyApplication() {
    }

    public static void main(String[] args) {
        String bootstrap = args[0];
        String input = args[1];
        String output = args[2];
        Map<String, Object> consumerConfig = new HashMap<>();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, args[3]);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 25);
        if (args.length > 5 && "consumer".equals(args[5])) {
            consumerConfig.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        } else {
            // A killed instance leaves the group after this, so the next one gets the partitions soon.
            consumerConfig.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
            consumerConfig.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1000);
        }
        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, args[4]);
        long copied = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new StringDeserializer());
                KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                        new StringSerializer())) {
            producer.initTransactions();
            consumer.subscribe(List.of(input));
            Set<TopicPartition> partitions = Set.copyOf(consumer.partitionsFor(input).stream()
                    .map(p -> new TopicPartition(input, p.partition())).toList());
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!consumedToEnd(consumer, end)) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<String, String> record : records) {
                    producer.send(new ProducerRecord<>(output, record.key(), "out-" + record.value()));
                    offsets.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
                copied += records.count();
                System.out.println("committed " + copied);
                System.out.flush();
            }
        }
        System.out.println("done " + copied);
    }

    private static boolean consumedToEnd(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        if (!consumer.assignment().containsAll(end.keySet())) {
            return false;
        }
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
