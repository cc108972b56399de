package io.brook.it.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The checks every failure test ends with, on a full read of the topic from the current leaders (up to the high
 * watermark): each acknowledged record is at the offset its acknowledgement named, with its value; no value is
 * stored twice (the idempotent producer's retries were deduplicated); and the values of each writer are in sequence
 * order within each partition. Values are {@code <writer>:<partition>:<seq>} as {@link SequencedLoad} writes them.
 *
 * <p>Stateless and thread-safe.
 */
public final class ReplicatedLogCheck {

    private ReplicatedLogCheck() {
    }

    /**
     * Reads the partitions through {@code target} and asserts the invariants above against the union of the
     * acknowledgements; returns the records read, per partition, offset to value.
     */
    @SafeVarargs
    public static Map<TopicPartition, NavigableMap<Long, String>> verify(BrookBroker target,
            List<TopicPartition> partitions, Map<TopicPartition, NavigableMap<Long, String>>... acknowledgements) {
        List<ConsumerRecord<String, String>> records = JavaClients.readAll(target, partitions, Duration.ofSeconds(90));
        Map<TopicPartition, NavigableMap<Long, String>> stored = new HashMap<>();
        for (TopicPartition tp : partitions) {
            stored.put(tp, new TreeMap<>());
        }
        Set<String> values = new HashSet<>();
        for (ConsumerRecord<String, String> record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            assertThat(values.add(record.value())).as("value %s stored twice (second at %s@%d)", record.value(), tp,
                    record.offset()).isTrue();
            stored.get(tp).put(record.offset(), record.value());
        }
        for (Map<TopicPartition, NavigableMap<Long, String>> acked : acknowledgements) {
            acked.forEach((tp, ackedRecords) -> {
                NavigableMap<Long, String> log = stored.getOrDefault(tp, new TreeMap<>());
                List<String> lost = new ArrayList<>();
                ackedRecords.forEach((offset, value) -> {
                    if (!value.equals(log.get(offset))) {
                        lost.add(value + "@" + offset + " (stored there: " + log.get(offset) + ")");
                    }
                });
                assertThat(lost).as("acknowledged records of %s missing from their offsets (%d acked, %d stored)", tp,
                        ackedRecords.size(), log.size()).isEmpty();
            });
        }
        stored.forEach((tp, log) -> assertInSequence(tp, log));
        return stored;
    }

    private static void assertInSequence(TopicPartition tp, NavigableMap<Long, String> log) {
        Map<String, Long> lastSeqByWriter = new HashMap<>();
        log.forEach((offset, value) -> {
            int colon = value.lastIndexOf(':');
            if (colon < 0) {
                return; // not a sequenced value
            }
            String writer = value.substring(0, colon);
            long seq = Long.parseLong(value.substring(colon + 1));
            Long previous = lastSeqByWriter.put(writer, seq);
            assertThat(previous == null || previous < seq).as("%s: %s at offset %d follows seq %s of the same writer",
                    tp, value, offset, previous).isTrue();
        });
    }

    /** Every value of the acknowledgement maps. */
    @SafeVarargs
    public static Set<String> values(Map<TopicPartition, NavigableMap<Long, String>>... acknowledgements) {
        Set<String> values = new HashSet<>();
        for (Map<TopicPartition, NavigableMap<Long, String>> acked : acknowledgements) {
            acked.values().forEach(m -> values.addAll(m.values()));
        }
        return values;
    }
}
