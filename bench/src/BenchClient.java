import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Small client used by bench/run against both brokers, so both are measured with the same code.
 *
 * <pre>
 * create-topics BOOTSTRAP TIMEOUT_MS NAME:PARTITIONS...   create topics (replication factor 1) with the Admin API
 * read BOOTSTRAP TOPIC TIMEOUT_MS                         read a topic from the beginning to its end offsets
 * produce-keyed BOOTSTRAP TOPIC RECORDS SIZE KEYS         write RECORDS records of SIZE bytes (key included),
 *                                                         keys cycling over KEYS distinct values, acks=1
 * set-config BOOTSTRAP TOPIC NAME=VALUE                   set one topic config (incremental alter)
 * </pre>
 *
 * <p>{@code read} uses {@code assign} and no consumer group, so it works against a broker without a
 * group coordinator. It prints one line {@code records=N bytes=B ms=T}: B counts key and value
 * bytes (as ConsumerPerformance does) and T runs from the first poll to the last record. The
 * consumer settings match ConsumerPerformance's defaults (1 MiB per-partition fetch, 2 MiB socket
 * receive buffer). Single-threaded command-line tool; exit code 0 only when everything was read.
 */
public final class BenchClient {

    private BenchClient() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("create-topics")) {
            createTopics(args[1], Long.parseLong(args[2]), List.of(args).subList(3, args.length));
        } else if (args.length == 4 && args[0].equals("read")) {
            System.exit(read(args[1], args[2], Long.parseLong(args[3])));
        } else if (args.length == 6 && args[0].equals("produce-keyed")) {
            produceKeyed(args[1], args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
        } else if (args.length == 4 && args[0].equals("set-config")) {
            setConfig(args[1], args[2], args[3]);
        } else {
            System.err.println("usage: BenchClient create-topics BOOTSTRAP TIMEOUT_MS NAME:PARTITIONS...\n"
                    + "       BenchClient read BOOTSTRAP TOPIC TIMEOUT_MS\n"
                    + "       BenchClient produce-keyed BOOTSTRAP TOPIC RECORDS SIZE KEYS\n"
                    + "       BenchClient set-config BOOTSTRAP TOPIC NAME=VALUE");
            System.exit(2);
        }
    }

    private static void createTopics(String bootstrap, long timeoutMs, List<String> specs) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String spec : specs) {
            int colon = spec.lastIndexOf(':');
            topics.add(new NewTopic(spec.substring(0, colon), Integer.parseInt(spec.substring(colon + 1)), (short) 1));
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(topics).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    private static void produceKeyed(String bootstrap, String topic, long records, int size, int keys)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        Random random = new Random(42);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (long i = 0; i < records && failure.get() == null; i++) {
                byte[] key = String.format("key-%010d", i % keys).getBytes(StandardCharsets.US_ASCII);
                byte[] value = new byte[Math.max(0, size - key.length)];
                random.nextBytes(value);
                producer.send(new ProducerRecord<>(topic, 0, key, value), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        System.out.printf("records=%d bytes=%d ms=%.1f%n", records, records * size, (System.nanoTime() - start) / 1e6);
    }

    private static void setConfig(String bootstrap, String topic, String setting) throws Exception {
        int eq = setting.indexOf('=');
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            AlterConfigOp op = new AlterConfigOp(
                    new ConfigEntry(setting.substring(0, eq), setting.substring(eq + 1)), AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get(60, TimeUnit.SECONDS);
        }
    }

    private static int read(String bootstrap, String topic, long timeoutMs) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "brook-bench-reader");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024 * 1024);
        props.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 2 * 1024 * 1024);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofMillis(timeoutMs))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> remaining = new HashMap<>();
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, Duration.ofMillis(timeoutMs));
            consumer.endOffsets(partitions, Duration.ofMillis(timeoutMs))
                    .forEach((tp, end) -> {
                        if (end > begin.get(tp)) {
                            remaining.put(tp, end - 1);
                        }
                    });
            long records = 0;
            long bytes = 0;
            long start = System.nanoTime();
            long last = start;
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                for (TopicPartition tp : batch.partitions()) {
                    List<ConsumerRecord<byte[], byte[]>> rs = batch.records(tp);
                    for (ConsumerRecord<byte[], byte[]> r : rs) {
                        bytes += (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
                    }
                    records += rs.size();
                    Long lastOffset = remaining.get(tp);
                    if (lastOffset != null && rs.get(rs.size() - 1).offset() >= lastOffset) {
                        remaining.remove(tp);
                    }
                }
                if (!batch.isEmpty()) {
                    last = System.nanoTime();
                }
            }
            System.out.printf("records=%d bytes=%d ms=%.1f%n", records, bytes, (last - start) / 1e6);
            if (!remaining.isEmpty()) {
                System.err.println("timed out after " + timeoutMs + " ms with partitions unfinished: " + remaining.keySet());
                return 1;
            }
            return 0;
        }
    }
}
