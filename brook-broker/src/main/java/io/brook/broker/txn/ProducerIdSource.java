package io.brook.broker.txn;

/**
 * Hands out producer ids that are never given twice, even across restarts (the data path's block allocator over the
 * metadata store). Registered in {@link io.brook.broker.BrokerServices} by the data path; the transaction coordinator
 * takes its producer ids from the same source as idempotent producers.
 *
 * <p>Thread-safe; may write the metadata store (once per block of ids) on the calling thread.
 */
@FunctionalInterface
public interface ProducerIdSource {

    long nextProducerId();
}
