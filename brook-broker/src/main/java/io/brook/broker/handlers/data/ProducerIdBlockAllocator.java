package io.brook.broker.handlers.data;

import java.util.function.IntToLongFunction;

/**
 * Hands out producer ids from blocks reserved durably in the metadata store, so an id is never given twice, even
 * across restarts (the unused rest of a block is simply skipped after a restart, as in Kafka).
 *
 * <p>Thread-safe (instance lock). Reserving a block writes the metadata store; that happens once per
 * {@code blockSize} producers, on the calling thread.
 */
final class ProducerIdBlockAllocator {

    /** Kafka's controller hands out producer ids in blocks of 1000. */
    static final int DEFAULT_BLOCK_SIZE = 1000;

    private final IntToLongFunction reserveBlock;
    private final int blockSize;
    private long next;
    private long endExclusive;

    /**
     * @param reserveBlock reserves {@code n} fresh ids durably and returns the first (MetadataStore.allocateProducerIds)
     */
    ProducerIdBlockAllocator(IntToLongFunction reserveBlock, int blockSize) {
        if (blockSize <= 0) {
            throw new IllegalArgumentException("blockSize must be positive: " + blockSize);
        }
        this.reserveBlock = reserveBlock;
        this.blockSize = blockSize;
    }

    synchronized long nextProducerId() {
        if (next >= endExclusive) {
            long first = reserveBlock.applyAsLong(blockSize);
            next = first;
            endExclusive = first + blockSize;
        }
        return next++;
    }
}
