package io.brook.it.harness;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;

/**
 * A consumer in a group (classic protocol, auto-commit) reading a topic in the background while a failure test runs,
 * collecting the values it sees. A group member may legitimately see a record twice after a rebalance or coordinator
 * move (offsets are committed periodically), so this class answers "was every value seen" and leaves exactly-once
 * checks to a read of the whole log.
 *
 * <p>Thread-safe: one poll thread owns the consumer; {@link #seen()} may be read from any thread.
 */
public final class GroupReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread poller;
    private volatile boolean running = true;

    private GroupReader(BrookBroker target, String group, String topic) {
        this.consumer = JavaClients.groupConsumer(target, group, Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true,
                ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, 1_000,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000,
                ConsumerConfig.CLIENT_ID_CONFIG, "reader-" + group));
        consumer.subscribe(List.of(topic));
        this.poller = new Thread(this::pollLoop, "group-reader-" + group);
        poller.setDaemon(true);
    }

    public static GroupReader start(BrookBroker target, String group, String topic) {
        GroupReader reader = new GroupReader(target, group, topic);
        reader.poller.start();
        return reader;
    }

    private void pollLoop() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(record.value());
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // close() woke the poll
        } catch (Exception e) {
            failure.set(e); // the Java client is expected to recover from broker failures by itself
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
        }
    }

    /** Waits (bounded) until every value in {@code values} has been seen. */
    public void awaitSeen(Collection<String> values, Duration timeout) {
        Awaitility.await("group reader saw all " + values.size() + " acknowledged values").atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .failFast("group reader failed: " + failure.get(), () -> failure.get() != null)
                .until(() -> missing(values).isEmpty());
    }

    public Set<String> missing(Collection<String> values) {
        Set<String> missing = new HashSet<>(values);
        missing.removeAll(seen);
        return missing;
    }

    public Set<String> seen() {
        return Set.copyOf(seen);
    }

    /** The exception that ended the poll loop, if any. */
    public Exception failure() {
        return failure.get();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(TimeUnit.SECONDS.toMillis(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
