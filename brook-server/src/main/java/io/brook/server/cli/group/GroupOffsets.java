package io.brook.server.cli.group;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/** Looks up partition offsets (earliest, latest, by time) in one ListOffsets call. Stateless. */
final class GroupOffsets {

    /** Waits for a future; how is up to the calling command (its timeout). */
    interface Waiter {
        <T> T await(KafkaFuture<T> future) throws Exception;
    }

    private GroupOffsets() {
    }

    static Map<TopicPartition, Long> list(Admin admin, Waiter waiter, Iterable<TopicPartition> partitions,
            Function<TopicPartition, OffsetSpec> spec) throws Exception {
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, spec.apply(p)));
        if (query.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, ListOffsetsResultInfo> result = waiter.await(admin.listOffsets(query).all());
        return result.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
