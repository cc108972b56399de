package io.brook.broker.group;

/** The states of a classic group, named as Kafka reports them in DescribeGroups and ListGroups. */
public enum GroupState {
    EMPTY("Empty"), PREPARING_REBALANCE("PreparingRebalance"), COMPLETING_REBALANCE("CompletingRebalance"), STABLE(
            "Stable"), DEAD("Dead");

    private final String wireName;

    GroupState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
