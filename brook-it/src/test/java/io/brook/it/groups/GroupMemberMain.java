package io.brook.it.groups;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A group member in its own JVM, so a test can SIGKILL it: consumes until killed, committing after each batch.
 *
 * <p>Usage: {@code GroupMemberMain BOOTSTRAP GROUP TOPIC SESSION_TIMEOUT_MS ASSIGNOR}, where ASSIGNOR is a classic
 * assignor class, or {@code consumer-NAME} for the consumer group protocol with server assignor NAME. Prints {@code A generation p,p,...}
 * after each rebalance and {@code R partition offset} per record, flushed before the batch is committed, so what it
 * printed covers at least what it committed. Single-threaded.
 */
public final class GroupMemberMain {

    /** Prefix of the ASSIGNOR argument that selects the consumer group protocol (KIP-848). */
    public static final String CONSUMER_PROTOCOL_PREFIX = "consumer-";

    private GroupMemberMain() {
    }

    public static void main(String[] args) {
        String bootstrap = args[0];
        String group = args[1];
        String topic = args[2];
        int sessionTimeoutMs = Integer.parseInt(args[3]);
        String assignor = args[4];
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Map<String, Object> config = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.CLIENT_ID_CONFIG, "doomed-member",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        if (assignor.startsWith(CONSUMER_PROTOCOL_PREFIX)) {
            config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
            config.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG,
                    assignor.substring(CONSUMER_PROTOCOL_PREFIX.length()));
        } else {
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionTimeoutMs);
            config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, sessionTimeoutMs / 6);
            config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor);
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // commits follow every batch, so there is nothing more to commit here
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    out.println("A " + consumer.groupMetadata().generationId() + " " + consumer.assignment().stream()
                            .map(tp -> Integer.toString(tp.partition())).sorted().collect(Collectors.joining(",")));
                    out.flush();
                }
            });
            while (true) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, String> record : records) {
                    out.println("R " + record.partition() + " " + record.offset());
                }
                out.flush();
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        }
    }
}
