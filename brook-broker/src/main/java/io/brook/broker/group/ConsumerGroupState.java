package io.brook.broker.group;

/** The states of a consumer-protocol group, named as Kafka reports them. */
public enum ConsumerGroupState {
    EMPTY("Empty"), ASSIGNING("Assigning"), RECONCILING("Reconciling"), STABLE("Stable"), DEAD("Dead");

    private final String wireName;

    ConsumerGroupState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
