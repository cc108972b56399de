package io.brook.broker.txn;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The states of a transactional id, with Kafka's ids (the byte stored in {@code __transaction_state}) and names (what
 * DescribeTransactions and ListTransactions show).
 *
 * <pre>
 *            InitProducerId                AddPartitions           EndTxn(commit)              markers written
 *   (none) ───────────────► Empty ─────────────────────► Ongoing ──────────────► PrepareCommit ──────────► CompleteCommit
 *                             ▲                            │  │     EndTxn(abort),                              │
 *                             │                            │  └──────timeout,─────► PrepareAbort ─────────► CompleteAbort
 *                             │                            │        InitProducerId                              │
 *                             └────── InitProducerId, AddPartitions (a new transaction) ◄─────────────────────┘
 *   Empty / Complete* ──expiration──► Dead (tombstone)
 * </pre>
 *
 * PrepareEpochFence is Kafka's in-memory step of fencing an ongoing transaction; Brook goes from Ongoing to
 * PrepareAbort with the bumped epoch in one write, so the state is never stored. Immutable.
 */
public enum TransactionState {
    EMPTY(0, "Empty"), ONGOING(1, "Ongoing"), PREPARE_COMMIT(2, "PrepareCommit"), PREPARE_ABORT(3,
            "PrepareAbort"), COMPLETE_COMMIT(4, "CompleteCommit"), COMPLETE_ABORT(5,
                    "CompleteAbort"), DEAD(6, "Dead"), PREPARE_EPOCH_FENCE(7, "PrepareEpochFence");

    private final byte id;
    private final String displayName;

    TransactionState(int id, String displayName) {
        this.id = (byte) id;
        this.displayName = displayName;
    }

    public byte id() {
        return id;
    }

    /** The name clients see (DescribeTransactions, ListTransactions filters). */
    public String displayName() {
        return displayName;
    }

    public static TransactionState fromId(byte id) {
        for (TransactionState s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown transaction state id " + id);
    }

    public static Optional<TransactionState> fromDisplayName(String name) {
        for (TransactionState s : values()) {
            if (s.displayName.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The states this one may be entered from (Kafka's TransactionState.validPreviousStates). */
    public Set<TransactionState> validPrevious() {
        return switch (this) {
            case EMPTY -> EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case ONGOING -> EnumSet.of(ONGOING, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case PREPARE_COMMIT -> EnumSet.of(ONGOING);
            case PREPARE_ABORT -> EnumSet.of(ONGOING, PREPARE_EPOCH_FENCE, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case COMPLETE_COMMIT -> EnumSet.of(PREPARE_COMMIT);
            case COMPLETE_ABORT -> EnumSet.of(PREPARE_ABORT);
            case DEAD -> EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case PREPARE_EPOCH_FENCE -> EnumSet.of(ONGOING);
        };
    }

    public boolean canTransitionFrom(TransactionState previous) {
        return validPrevious().contains(previous);
    }

    /** Whether no transaction is open or completing: the id may start a new one, or expire. */
    public boolean isIdle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }

    public boolean isPrepare() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }
}
