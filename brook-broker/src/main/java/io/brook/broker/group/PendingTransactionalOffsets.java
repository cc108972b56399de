package io.brook.broker.group;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

import io.brook.broker.group.GroupRecord.CommittedOffset;

/**
 * Offsets written by TxnOffsetCommit whose transaction has not ended yet, per producer id: they are invisible to
 * OffsetFetch (which answers UNSTABLE_OFFSET_COMMIT for them when asked for stable offsets) until the producer's commit
 * marker moves them to the committed offsets, or its abort marker drops them. Each pending offset remembers the order
 * in which its record was replayed (log order), so a commit marker does not let it replace a committed offset written
 * after it, as Kafka keeps the offset whose record is later in the log.
 *
 * <p>Not thread-safe: owned by its {@link GroupShard}'s thread.
 */
final class PendingTransactionalOffsets {

    /** A pending offset and the replay order of its record. */
    record Pending(CommittedOffset offset, long order) {
    }

    private final Map<Long, Map<String, Map<TopicPartition, Pending>>> byProducer = new HashMap<>();

    void add(long producerId, String groupId, TopicPartition partition, CommittedOffset offset, long order) {
        byProducer.computeIfAbsent(producerId, id -> new LinkedHashMap<>())
                .computeIfAbsent(groupId, id -> new LinkedHashMap<>()).put(partition, new Pending(offset, order));
    }

    /** Removes and returns the producer's pending offsets by group (empty when it has none). */
    Map<String, Map<TopicPartition, Pending>> end(long producerId) {
        Map<String, Map<TopicPartition, Pending>> offsets = byProducer.remove(producerId);
        return offsets == null ? Map.of() : offsets;
    }

    /** Whether some open transaction has an offset for the group's partition. */
    boolean has(String groupId, TopicPartition partition) {
        for (Map<String, Map<TopicPartition, Pending>> groups : byProducer.values()) {
            Map<TopicPartition, Pending> offsets = groups.get(groupId);
            if (offsets != null && offsets.containsKey(partition)) {
                return true;
            }
        }
        return false;
    }

    /** Whether some open transaction has offsets of the group. */
    boolean hasGroup(String groupId) {
        return byProducer.values().stream().anyMatch(groups -> groups.containsKey(groupId));
    }

    /** The partitions with a pending offset of the group, in any open transaction. */
    Set<TopicPartition> partitions(String groupId) {
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        for (Map<String, Map<TopicPartition, Pending>> groups : byProducer.values()) {
            Map<TopicPartition, Pending> offsets = groups.get(groupId);
            if (offsets != null) {
                partitions.addAll(offsets.keySet());
            }
        }
        return partitions;
    }

    /** An offset tombstone deletes the partition's pending offsets too, in every open transaction (as Kafka). */
    void remove(String groupId, TopicPartition partition) {
        Iterator<Map<String, Map<TopicPartition, Pending>>> producers = byProducer.values().iterator();
        while (producers.hasNext()) {
            Map<String, Map<TopicPartition, Pending>> groups = producers.next();
            Map<TopicPartition, Pending> offsets = groups.get(groupId);
            if (offsets != null) {
                offsets.remove(partition);
                if (offsets.isEmpty()) {
                    groups.remove(groupId);
                }
            }
            if (groups.isEmpty()) {
                producers.remove();
            }
        }
    }

    boolean isEmpty() {
        return byProducer.isEmpty();
    }
}
