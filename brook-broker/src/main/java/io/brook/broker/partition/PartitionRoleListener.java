package io.brook.broker.partition;

/**
 * Told by {@link LocalPartitions#reconcile} how the hosted partitions changed, so the replication layer can switch
 * roles (leader, follower) and stop replicas that are no longer assigned here.
 *
 * <p>Called on the reconciling thread (the metadata store's mutating thread), serialised by the
 * {@code LocalPartitions} lock, after the partition map shows the change. Implementations must not block.
 */
public interface PartitionRoleListener {

    /** A listener that does nothing (single-node tests that drive the handlers directly). */
    PartitionRoleListener NONE = new PartitionRoleListener() {
        @Override
        public void onRegistration(Partition previous, Partition current) {
        }

        @Override
        public void onRemoved(Partition removed) {
        }
    };

    /**
     * The partition is hosted here with a new or changed registration.
     *
     * @param previous the partition as it was, or null when this node just started hosting it
     * @param current the partition as it is now
     */
    void onRegistration(Partition previous, Partition current);

    /** The partition is no longer hosted here; called before its log is deleted. */
    void onRemoved(Partition removed);
}
