package io.brook.it.groups;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.JavaClients;

/**
 * One member of a consumer group: a kafka-clients consumer with a manual poll loop on its own thread, committing
 * synchronously after each batch and before giving partitions up, and reporting assignments and records to a
 * {@link GroupLedger}.
 *
 * <p>The consumer is confined to the member's thread; {@link #start()} and {@link #close()} are called by the test
 * thread.
 */
public final class GroupMember implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final GroupLedger ledger;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    /** Next offset to commit per partition consumed from; touched only on the member's thread (callbacks too). */
    private final Map<TopicPartition, Long> consumedUpTo = new HashMap<>();

    public GroupMember(String name, BrookBroker broker, String groupId, String topic, Map<String, Object> overrides,
            GroupLedger ledger) {
        this.name = name;
        this.consumer = JavaClients.groupConsumer(broker, groupId, withClientId(name, overrides));
        this.topic = topic;
        this.ledger = ledger;
        this.thread = new Thread(this::pollLoop, "group-member-" + name);
        this.thread.setDaemon(true);
    }

    private static Map<String, Object> withClientId(String name, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(overrides);
        config.putIfAbsent("client.id", name);
        return config;
    }

    public String name() {
        return name;
    }

    public GroupMember start() {
        thread.start();
        return this;
    }

    private void pollLoop() {
        try {
            consumer.subscribe(List.of(topic), new Listener());
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                int generation = consumer.groupMetadata().generationId();
                for (ConsumerRecord<String, String> record : records) {
                    ledger.consumed(name, generation, record);
                    consumedUpTo.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
                if (!records.isEmpty()) {
                    commitProcessed();
                }
            }
        } catch (Throwable e) {
            failure.set(e);
        } finally {
            try {
                consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
            stopped.countDown();
        }
    }

    private void commitProcessed() {
        try {
            consumer.commitSync();
        } catch (RebalanceInProgressException | CommitFailedException e) {
            // the group is rebalancing: the revocation callback commits what this member gives up
        }
    }

    /** Leaves the group cleanly (LeaveGroup on close) and rethrows anything the poll loop failed with. */
    @Override
    public void close() {
        running = false;
        try {
            if (!stopped.await(CLOSE_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS)) {
                throw new AssertionError("member " + name + " did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping member " + name, e);
        }
        Throwable error = failure.get();
        if (error != null) {
            throw new AssertionError("member " + name + " failed", error);
        }
    }

    private final class Listener implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            ledger.released(name, partitions);
            // What this member consumed, not consumer.position(): with the consumer protocol a partition may be
            // revoked right after it was assigned, before its position is known, and position() would block.
            Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
            for (TopicPartition partition : partitions) {
                Long next = consumedUpTo.remove(partition);
                if (next != null) {
                    positions.put(partition, new OffsetAndMetadata(next));
                }
            }
            if (!positions.isEmpty()) {
                try {
                    consumer.commitSync(positions);
                } catch (CommitFailedException e) {
                    // fenced meanwhile: the next owner re-reads from the last commit, which the test's exact
                    // count of consumed records would reveal
                }
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // called after every rebalance, with the whole assignment readable from the consumer
            ledger.assigned(name, consumer.groupMetadata().generationId(), consumer.assignment());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // the member was fenced: nothing may be committed for partitions it no longer owns
            partitions.forEach(consumedUpTo::remove);
            ledger.released(name, partitions);
        }
    }
}
