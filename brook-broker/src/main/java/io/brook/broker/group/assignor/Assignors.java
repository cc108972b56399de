package io.brook.broker.group.assignor;

import java.util.Optional;

/** Looks assignors up by the names clients and {@code group.consumer.assignors} use. Stateless. */
public final class Assignors {

    /** Kafka's class names, accepted in {@code group.consumer.assignors} and mapped to ours. */
    public static final String KAFKA_UNIFORM_CLASS = "org.apache.kafka.coordinator.group.assignor.UniformAssignor";
    public static final String KAFKA_RANGE_CLASS = "org.apache.kafka.coordinator.group.assignor.RangeAssignor";

    private Assignors() {
    }

    /** The assignor for a name ({@code uniform}, {@code range}) or one of Kafka's class names. */
    public static Optional<ConsumerGroupAssignor> byName(String name) {
        return switch (name.trim()) {
            case UniformAssignor.NAME, KAFKA_UNIFORM_CLASS -> Optional.of(new UniformAssignor());
            case RangeAssignor.NAME, KAFKA_RANGE_CLASS -> Optional.of(new RangeAssignor());
            default -> Optional.empty();
        };
    }
}
