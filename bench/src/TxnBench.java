import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Transactional producer workloads for bench/transactions, run with the same code against both brokers.
 *
 * <pre>
 * produce BOOTSTRAP TOPIC RECORDS SIZE MODE PER_TXN
 *     write RECORDS records of SIZE bytes (acks=all, idempotence on, linger.ms=5, batch.size=65536), MODE:
 *       txn    a transactional producer that commits every PER_TXN records
 *       flush  no transaction, but flush() every PER_TXN records (the same synchronous boundary, no coordinator)
 *       plain  no transaction, no boundary (the producer pipelines freely)
 *     prints "records=N bytes=B ms=T transactions=K boundary_avg_ms=A"
 * latency BOOTSTRAP TOPIC WARMUP COUNT RATE PER_TXN SIZE MODE ISOLATION
 *     a producer thread sends WARMUP+COUNT records of SIZE bytes at RATE records/s, PER_TXN at a time
 *     (MODE txn: one transaction each; plain: no transaction) while this thread consumes the topic with
 *     isolation.level=ISOLATION (read_committed or read_uncommitted) and measures, for each record after the
 *     first WARMUP, the time from its send() to its receipt;
 *     prints "records=N p50_ms=.. p99_ms=.. p999_ms=.. max_ms=.. avg_ms=.. rate=.."
 * </pre>
 *
 * <p>The latency is taken from a {@code System.nanoTime()} stamp written into the first 8 bytes of each value
 * just before {@code send()}, and compared with {@code System.nanoTime()} right after the consumer's
 * {@code poll()} returns it: producer and consumer run in this one JVM, so there is no clock skew, and the
 * resolution is finer than the record timestamp's millisecond. The producer keeps a fixed schedule (batch k
 * is due at start + k * PER_TXN / RATE); when a commit takes longer than the interval it falls behind and
 * the achieved rate, printed as {@code rate}, is below RATE.
 *
 * <p>Threads: {@code produce} is single-threaded; {@code latency} runs the producer on one extra thread and
 * the consumer on the main thread. Exit code 0 only when every record was written (and read).
 */
public final class TxnBench {

    private static final long TIMEOUT_MS = 240_000;

    private TxnBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 7 && args[0].equals("produce")) {
            produce(args[1], args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]), args[5],
                    Integer.parseInt(args[6]));
        } else if (args.length == 10 && args[0].equals("latency")) {
            System.exit(latency(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]), args[8],
                    args[9]));
        } else {
            System.err.println("usage: TxnBench produce BOOTSTRAP TOPIC RECORDS SIZE txn|flush|plain PER_TXN\n"
                    + "       TxnBench latency BOOTSTRAP TOPIC WARMUP COUNT RATE PER_TXN SIZE txn|plain "
                    + "read_committed|read_uncommitted");
            System.exit(2);
        }
    }

    private static Properties producerProps(String bootstrap, String mode, String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        if (mode.equals("txn")) {
            // One transactional id per run: a fresh producer id, no fencing of an earlier run.
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "txnbench-" + topic + "-" + System.nanoTime());
        }
        return props;
    }

    private static void checkMode(String mode, String... allowed) {
        if (!Arrays.asList(allowed).contains(mode)) {
            throw new IllegalArgumentException("mode must be one of " + Arrays.toString(allowed) + ": " + mode);
        }
    }

    private static void produce(String bootstrap, String topic, long records, int size, String mode, int perTxn)
            throws Exception {
        checkMode(mode, "txn", "flush", "plain");
        boolean txn = mode.equals("txn");
        byte[] value = new byte[size];
        new Random(42).nextBytes(value);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Callback callback = (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        };
        long boundaries = 0;
        long boundaryNanos = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap, mode, topic))) {
            if (txn) {
                producer.initTransactions();
            }
            // Metadata first, so the clock does not include the first metadata round trip.
            producer.partitionsFor(topic);
            long start = System.nanoTime();
            long sent = 0;
            while (sent < records && failure.get() == null) {
                if (txn) {
                    producer.beginTransaction();
                }
                long inThisBatch = mode.equals("plain") ? records : Math.min(perTxn, records - sent);
                for (long i = 0; i < inThisBatch; i++) {
                    producer.send(new ProducerRecord<>(topic, value), callback);
                }
                sent += inThisBatch;
                long t = System.nanoTime();
                if (txn) {
                    producer.commitTransaction();
                } else {
                    producer.flush();
                }
                boundaryNanos += System.nanoTime() - t;
                boundaries++;
            }
            long elapsed = System.nanoTime() - start;
            if (failure.get() != null) {
                throw failure.get();
            }
            System.out.printf("records=%d bytes=%d ms=%.1f transactions=%d boundary_avg_ms=%.3f%n", sent,
                    sent * size, elapsed / 1e6, txn ? boundaries : 0, boundaryNanos / 1e6 / boundaries);
        }
    }

    private static int latency(String bootstrap, String topic, int warmup, int count, int rate, int perTxn,
            int size, String mode, String isolation) throws Exception {
        checkMode(mode, "txn", "plain");
        checkMode(isolation, "read_committed", "read_uncommitted");
        int total = warmup + count;
        long[] latencies = new long[count];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong producerNanos = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(bootstrap, isolation));
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap, mode, topic))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofMillis(TIMEOUT_MS))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // Resolve the positions now: the consumer must not skip records sent before its first fetch.
            partitions.forEach(consumer::position);
            if (mode.equals("txn")) {
                producer.initTransactions();
            }
            producer.partitionsFor(topic);
            Thread sender = new Thread(() -> {
                try {
                    producerNanos.set(paced(producer, topic, total, rate, perTxn, size, mode.equals("txn")));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "txnbench-producer");
            sender.start();
            int received = 0;
            while (received < total && failure.get() == null && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    if (received >= warmup && received < total) {
                        latencies[received - warmup] = now - ByteBuffer.wrap(r.value()).getLong();
                    }
                    received++;
                }
            }
            sender.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (failure.get() != null) {
                failure.get().printStackTrace();
                return 1;
            }
            if (received < total) {
                System.err.println("received " + received + " of " + total + " records within " + TIMEOUT_MS + " ms");
                return 1;
            }
        }
        Arrays.sort(latencies);
        double sum = 0;
        for (long l : latencies) {
            sum += l;
        }
        System.out.printf("records=%d p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f avg_ms=%.3f rate=%.0f%n",
                count, pct(latencies, 0.50), pct(latencies, 0.99), pct(latencies, 0.999),
                latencies[count - 1] / 1e6, sum / count / 1e6, total / (producerNanos.get() / 1e9));
        return 0;
    }

    /** Nearest-rank percentile of sorted nanoseconds, in milliseconds. */
    private static double pct(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    /** Sends total records on a fixed schedule, perTxn at a time; returns the nanoseconds it took. */
    private static long paced(KafkaProducer<byte[], byte[]> producer, String topic, int total, int rate, int perTxn,
            int size, boolean txn) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        Callback callback = (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        };
        long intervalNanos = TimeUnit.SECONDS.toNanos(perTxn) / rate;
        long start = System.nanoTime();
        int sent = 0;
        for (long k = 0; sent < total && failure.get() == null; k++) {
            long due = start + k * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // pacing the load, not waiting for a condition
            }
            if (txn) {
                producer.beginTransaction();
            }
            int n = Math.min(perTxn, total - sent);
            for (int i = 0; i < n; i++) {
                ByteBuffer value = ByteBuffer.allocate(Math.max(Long.BYTES, size));
                value.putLong(0, System.nanoTime());
                producer.send(new ProducerRecord<>(topic, value.array()), callback);
            }
            sent += n;
            if (txn) {
                producer.commitTransaction();
            }
        }
        producer.flush();
        if (failure.get() != null) {
            throw failure.get();
        }
        return System.nanoTime() - start;
    }

    private static Properties consumerProps(String bootstrap, String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "brook-txnbench-reader");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }
}
