package io.brook.broker.handlers.data;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.brook.broker.BrokerContext;
import io.brook.broker.HandlerFamily;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.partition.DelayedFetchPurgatory;
import io.brook.broker.partition.LocalPartitions;
import io.brook.broker.partition.LogConfigResolver;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;

/**
 * The data path: Produce, Fetch, ListOffsets and InitProducerId, sharing the hosted partitions, the fetch sessions
 * and the delayed-fetch purgatory.
 *
 * <p>On creation it deletes logs of topics the metadata no longer has, creates the logs of every topic partition,
 * and from then on follows metadata changes (new topics and partitions, config changes, deletions). {@link #close()}
 * stops the delayed-fetch timer and answers every parked fetch. Thread-safe.
 */
public final class DataPathHandlers implements HandlerFamily {

    private final LocalPartitions partitions;
    private final DelayedFetchTimer timer;
    private final List<ApiHandler<?>> handlers;

    private DataPathHandlers(LocalPartitions partitions, DelayedFetchTimer timer, List<ApiHandler<?>> handlers) {
        this.partitions = partitions;
        this.timer = timer;
        this.handlers = handlers;
    }

    public static DataPathHandlers create(BrokerContext ctx) {
        MetadataStore metadata = ctx.metadata();
        LocalPartitions partitions = new LocalPartitions(ctx.logManager(), new LogConfigResolver(ctx.config()));
        partitions.deleteStrayLogs(metadata.image());
        metadata.addListener((previous, current) -> partitions.reconcile(current));
        MetadataImage image = metadata.image();
        partitions.reconcile(image);

        DelayedFetchPurgatory purgatory = new DelayedFetchPurgatory();
        DelayedFetchTimer timer = new DelayedFetchTimer(purgatory, ctx.time());
        FetchSessionCache sessions = new FetchSessionCache(FetchSessionCache.DEFAULT_MAX_SLOTS,
                FetchSessionCache.DEFAULT_MIN_EVICTION_MS,
                () -> ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE));
        ProducerIdBlockAllocator producerIds = new ProducerIdBlockAllocator(metadata::allocateProducerIds,
                ProducerIdBlockAllocator.DEFAULT_BLOCK_SIZE);
        List<ApiHandler<?>> handlers = List.of(
                new ProduceHandler(metadata, partitions, purgatory),
                new FetchHandler(metadata, new FetchReader(partitions), sessions, purgatory, timer::wakeAt,
                        ctx.time()),
                new ListOffsetsHandler(metadata, partitions),
                new InitProducerIdHandler(producerIds));
        return new DataPathHandlers(partitions, timer, handlers);
    }

    @Override
    public List<ApiHandler<?>> handlers() {
        return handlers;
    }

    /** The hosted partitions (for other families that read or write logs, and for tests). */
    public LocalPartitions partitions() {
        return partitions;
    }

    @Override
    public void close() {
        timer.close();
    }
}
