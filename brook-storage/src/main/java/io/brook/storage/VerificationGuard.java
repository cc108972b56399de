package io.brook.storage;

/**
 * Ties the verification of a producer's first transactional batch to a partition to the append of that batch (Kafka's
 * VerificationGuard). {@link PartitionLog#maybeStartTransactionVerification} hands out a fresh guard when the producer
 * has no transaction open in the partition and keeps it in the producer's state; the append must present that same
 * guard. Anything the producer appends to the partition meanwhile (its data, or a marker ending the transaction that
 * was verified) removes the guard, so a verified batch that lost the race to an abort marker is refused with
 * INVALID_TXN_STATE instead of opening a new transaction nobody will end.
 *
 * <p>Compared by identity. {@link #SENTINEL} means "no verification was needed" (a transaction was open): it verifies
 * against nothing, so a batch appended with it that no longer finds its transaction open is refused too. Immutable.
 */
public final class VerificationGuard {

    /** No verification needed or done: never matches a guard. */
    public static final VerificationGuard SENTINEL = new VerificationGuard("SENTINEL");

    private final String name;

    private VerificationGuard(String name) {
        this.name = name;
    }

    /** A new guard, different from every other. */
    static VerificationGuard create() {
        return new VerificationGuard("guard");
    }

    /** Whether an append presenting {@code presented} matches this guard (the one in the producer's state). */
    boolean verify(VerificationGuard presented) {
        return this != SENTINEL && presented == this;
    }

    @Override
    public String toString() {
        return "VerificationGuard(" + name + "@" + Integer.toHexString(System.identityHashCode(this)) + ")";
    }
}
