package io.brook.it.harness;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures failover the way an application feels it: the time from a failure (e.g. SIGKILL of a partition's leader)
 * until the next {@code acks=all} produce to that partition is acknowledged. Writes sequenced values
 * {@code <name>:<partition>:<seq>} with its own idempotent producer, so its records join the log checks.
 *
 * <p>Not thread-safe: one test thread.
 */
public final class FailoverProbe implements AutoCloseable {

    private final String name;
    private final TopicPartition partition;
    private final KafkaProducer<String, String> producer;
    private final NavigableMap<Long, String> acked = new ConcurrentSkipListMap<>();
    private long seq;

    private FailoverProbe(BrookBroker target, String name, TopicPartition partition) {
        this.name = name;
        this.partition = partition;
        this.producer = JavaClients.producer(target, Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000,
                ProducerConfig.CLIENT_ID_CONFIG, "probe-" + name));
    }

    /** A probe whose producer has already written one record to the partition (so it knows the current leader). */
    public static FailoverProbe open(BrookBroker target, String name, TopicPartition partition) {
        FailoverProbe probe = new FailoverProbe(target, name, partition);
        if (!probe.tryOnce(Duration.ofSeconds(30))) {
            probe.close();
            throw new AssertionError("probe " + name + " could not write to " + partition + " before the failure");
        }
        return probe;
    }

    /**
     * Runs {@code failure}, then produces to the partition until a record is acknowledged; returns the time from just
     * before the failure to that acknowledgement. Fails if no produce succeeds within {@code bound}.
     */
    public Duration measure(Runnable failure, Duration bound) {
        long start = System.nanoTime();
        failure.run();
        long deadline = start + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (tryOnce(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
        }
        throw new AssertionError("no acks=all produce to " + partition + " succeeded within " + bound
                + " of the failure");
    }

    private boolean tryOnce(Duration timeout) {
        String value = name + ":" + partition.partition() + ":" + seq++;
        try {
            RecordMetadata metadata = producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                    partition.topic(), partition.partition(), "probe", value)).get(timeout.toMillis(),
                            TimeUnit.MILLISECONDS);
            acked.put(metadata.offset(), value);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Acknowledged probe records: offset to value. */
    public Map<TopicPartition, NavigableMap<Long, String>> acknowledged() {
        Map<TopicPartition, NavigableMap<Long, String>> result = new HashMap<>();
        result.put(partition, acked);
        return result;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
