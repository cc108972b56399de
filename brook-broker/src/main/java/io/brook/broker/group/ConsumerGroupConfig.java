package io.brook.broker.group;

import java.util.List;

import io.brook.broker.group.assignor.ConsumerGroupAssignor;
import io.brook.broker.group.assignor.RangeAssignor;
import io.brook.broker.group.assignor.UniformAssignor;

/**
 * The consumer group protocol (KIP-848) settings a shard applies (Kafka's names in brackets).
 *
 * @param enabled whether {@code consumer} is in [group.coordinator.rebalance.protocols]
 * @param sessionTimeoutMs [group.consumer.session.timeout.ms]
 * @param heartbeatIntervalMs [group.consumer.heartbeat.interval.ms]
 * @param maxSize [group.consumer.max.size]
 * @param assignors [group.consumer.assignors]; the first is the default
 */
public record ConsumerGroupConfig(boolean enabled, int sessionTimeoutMs, int heartbeatIntervalMs, int maxSize,
        List<ConsumerGroupAssignor> assignors) {

    /** Kafka's defaults. */
    public static ConsumerGroupConfig defaults() {
        return new ConsumerGroupConfig(true, 45_000, 5_000, Integer.MAX_VALUE,
                List.of(new UniformAssignor(), new RangeAssignor()));
    }
}
