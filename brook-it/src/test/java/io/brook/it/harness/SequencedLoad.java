package io.brook.it.harness;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;

/**
 * Background load for failure tests: one idempotent {@code acks=all} Java producer writing sequenced values
 * {@code <name>:<partition>:<seq>} round-robin to every partition of a topic, at a bounded rate and with a bounded
 * number of records in flight, recording the offset of every acknowledged record.
 *
 * <p>The producer uses a long delivery timeout so that it rides out a leader failover by itself, as an application
 * would; a record that still fails is counted, never retried by this class (a retry would be a new record).
 *
 * <p>Thread-safe: a single sender thread owns the producer; the ledger is concurrent and may be read at any time.
 */
public final class SequencedLoad implements AutoCloseable {

    private static final int MAX_IN_FLIGHT_RECORDS = 200;

    private final String name;
    private final String topic;
    private final int partitions;
    private final long pauseNanos;
    private final KafkaProducer<String, String> producer;
    private final Map<Integer, NavigableMap<Long, String>> acked = new ConcurrentHashMap<>();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT_RECORDS);
    private final AtomicInteger ackedCount = new AtomicInteger();
    private final AtomicInteger failedCount = new AtomicInteger();
    private final AtomicReference<Exception> lastFailure = new AtomicReference<>();
    private final AtomicLong lastAckNanos = new AtomicLong();
    private final Thread sender;
    private volatile boolean running = true;

    private SequencedLoad(BrookBroker target, String name, String topic, int partitions, int recordsPerSecond,
            Map<String, Object> producerOverrides) {
        this.name = name;
        this.topic = topic;
        this.partitions = partitions;
        this.pauseNanos = TimeUnit.SECONDS.toNanos(1) / recordsPerSecond;
        Map<String, Object> config = new HashMap<>(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000,
                ProducerConfig.CLIENT_ID_CONFIG, "load-" + name));
        config.putAll(producerOverrides);
        for (int p = 0; p < partitions; p++) {
            acked.put(p, new ConcurrentSkipListMap<>());
        }
        this.producer = JavaClients.producer(target, config);
        this.sender = new Thread(this::sendLoop, "load-" + name);
        sender.setDaemon(true);
    }

    /** Starts writing {@code recordsPerSecond} records per second (at most) to every partition of the topic. */
    public static SequencedLoad start(BrookBroker target, String name, String topic, int partitions,
            int recordsPerSecond, Map<String, Object> producerOverrides) {
        SequencedLoad load = new SequencedLoad(target, name, topic, partitions, recordsPerSecond, producerOverrides);
        load.sender.start();
        return load;
    }

    public String name() {
        return name;
    }

    private void sendLoop() {
        long[] seq = new long[partitions];
        int partition = 0;
        long next = System.nanoTime();
        while (running) {
            try {
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            int p = partition;
            String value = name + ":" + p + ":" + seq[p]++;
            try {
                producer.send(new ProducerRecord<>(topic, p, Integer.toString(p), value), (metadata, error) -> {
                    inFlight.release();
                    if (error == null) {
                        acked.get(metadata.partition()).put(metadata.offset(), value);
                        ackedCount.incrementAndGet();
                        lastAckNanos.set(System.nanoTime());
                    } else {
                        failedCount.incrementAndGet();
                        lastFailure.set(error);
                    }
                });
            } catch (RuntimeException e) {
                inFlight.release();
                failedCount.incrementAndGet();
                lastFailure.set(e);
            }
            partition = (partition + 1) % partitions;
            next += pauseNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing the load, not waiting for a condition
            } else {
                next = System.nanoTime();
            }
        }
    }

    /** Waits (bounded) until {@code more} further records have been acknowledged. */
    public void awaitMoreAcked(int more, Duration timeout) {
        int target = ackedCount.get() + more;
        Awaitility.await(name + ": " + more + " more acknowledged records (failed so far: " + failedCount.get() + ")")
                .atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> ackedCount.get() >= target);
    }

    /** As {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Stops sending, waits (bounded by the delivery timeout) for the records in flight to complete, and closes the
     * producer; afterwards the ledger is final. Idempotent.
     */
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            sender.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
        producer.close(Duration.ofSeconds(30));
    }

    /** Acknowledged records per partition: offset to value. */
    public Map<TopicPartition, NavigableMap<Long, String>> acknowledged() {
        Map<TopicPartition, NavigableMap<Long, String>> result = new HashMap<>();
        acked.forEach((p, records) -> result.put(new TopicPartition(topic, p), records));
        return result;
    }

    public int ackedCount() {
        return ackedCount.get();
    }

    public int failedCount() {
        return failedCount.get();
    }

    /** The last send error, for failure messages. */
    public Exception lastFailure() {
        return lastFailure.get();
    }
}
