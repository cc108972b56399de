package io.brook.broker.handlers.data;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.brook.broker.BrokerContext;
import io.brook.broker.HandlerFamily;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.authz.Authorization;
import io.brook.broker.metrics.BrokerMetrics;
import io.brook.broker.partition.DelayedFetchPurgatory;
import io.brook.broker.partition.LocalPartitions;
import io.brook.broker.partition.LogConfigResolver;
import io.brook.broker.replication.FetcherSettings;
import io.brook.broker.replication.PartitionWriter;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.replication.ReplicatedPartitionWriter;
import io.brook.broker.txn.ProducerIdSource;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;
import io.micrometer.core.instrument.Gauge;

/**
 * The data path: Produce, Fetch, ListOffsets, OffsetForLeaderEpoch, InitProducerId, DeleteRecords and WriteTxnMarkers
 * (transaction markers from coordinators), sharing the hosted
 * partitions, their replication ({@link ReplicaManager}), the fetch sessions and the delayed-fetch purgatory.
 *
 * <p>On creation it deletes logs of topics the metadata no longer has, creates the logs of every topic partition,
 * and from then on follows metadata changes (new topics and partitions, config changes, deletions). It registers a
 * {@link PartitionWriter} in the context's {@code services} for the coordinators built after it. {@link #close()}
 * stops the delayed-fetch timer and answers every parked fetch. Thread-safe.
 */
public final class DataPathHandlers implements HandlerFamily {

    private final LocalPartitions partitions;
    private final ReplicaManager replicas;
    private final DelayedFetchTimer timer;
    private final List<ApiHandler<?>> handlers;

    private DataPathHandlers(LocalPartitions partitions, ReplicaManager replicas, DelayedFetchTimer timer,
            List<ApiHandler<?>> handlers) {
        this.partitions = partitions;
        this.replicas = replicas;
        this.timer = timer;
        this.handlers = handlers;
    }

    public static DataPathHandlers create(BrokerContext ctx) {
        MetadataStore metadata = ctx.metadata();
        LogConfigResolver configs = new LogConfigResolver(ctx.config());
        LocalPartitions partitions = new LocalPartitions(ctx.logManager(), configs, ctx.nodeId());
        DelayedFetchPurgatory purgatory = new DelayedFetchPurgatory();
        ReplicaManager replicas = new ReplicaManager(ctx.nodeId(), metadata, FetcherSettings.from(ctx.config()),
                ctx.config().replicaLagTimeMaxMs(), ctx.time(), purgatory::onAppend);
        partitions.setRoleListener(replicas);
        // Coordinators write their internal partitions through the data path's replication (acks=all).
        PartitionWriter partitionWriter = new ReplicatedPartitionWriter(replicas,
                topicPartition -> minInsyncReplicas(metadata.image(), configs, topicPartition.topic()),
                purgatory::onAppend);
        ctx.services().register(PartitionWriter.class, partitionWriter);
        partitions.deleteStrayLogs(metadata.image());
        // Both read the newest image under the reconcile lock: the listener is only the trigger, and whichever of it
        // and this first call runs second sees an image at least as new as the first did.
        metadata.addListener((previous, current) -> partitions.reconcileLatest(metadata::image));
        partitions.reconcileLatest(metadata::image);

        DelayedFetchTimer timer = new DelayedFetchTimer(purgatory, ctx.time());
        BrokerMetrics metrics = BrokerMetrics.of(ctx.services());
        Gauge.builder("kafka.server.fetch.purgatory.size", purgatory, DelayedFetchPurgatory::size)
                .description(
                        "Fetches waiting for data (DelayedOperationPurgatory PurgatorySize, delayedOperation=Fetch)")
                .register(metrics.registry());
        FetchSessionCache sessions = new FetchSessionCache(FetchSessionCache.DEFAULT_MAX_SLOTS,
                FetchSessionCache.DEFAULT_MIN_EVICTION_MS,
                () -> ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE));
        ProducerIdBlockAllocator producerIds = new ProducerIdBlockAllocator(metadata::allocateProducerIds,
                ProducerIdBlockAllocator.DEFAULT_BLOCK_SIZE);
        // The transaction coordinator takes its producer ids from the same blocks.
        ctx.services().register(ProducerIdSource.class, producerIds::nextProducerId);
        List<ApiHandler<?>> handlers = List.of(
                new ProduceHandler(metadata, partitions, purgatory, replicas, configs, ctx.services(), ctx.time()),
                new FetchHandler(metadata, new FetchReader(partitions, replicas, ctx.time(), metrics), sessions,
                        purgatory,
                        timer::wakeAt, ctx.time(), Authorization.of(ctx)),
                new ListOffsetsHandler(metadata, partitions, Authorization.of(ctx)),
                new OffsetForLeaderEpochHandler(metadata, partitions, replicas),
                new InitProducerIdHandler(producerIds, ctx.services()),
                new DeleteRecordsHandler(metadata, partitions, configs, replicas, purgatory),
                new WriteTxnMarkersHandler(metadata, partitions, partitionWriter, ctx.services(), ctx.time()));
        return new DataPathHandlers(partitions, replicas, timer, handlers);
    }

    private static int minInsyncReplicas(MetadataImage image, LogConfigResolver configs, String topic) {
        return image.topic(topic).map(t -> configs.minInsyncReplicas(image.brokerConfigs(), t.configs())).orElse(1);
    }

    @Override
    public List<ApiHandler<?>> handlers() {
        return handlers;
    }

    /** The hosted partitions (for other families that read or write logs, and for tests). */
    public LocalPartitions partitions() {
        return partitions;
    }

    /** Roles, leaders and follower fetchers of the hosted partitions. */
    public ReplicaManager replicas() {
        return replicas;
    }

    /**
     * Stops following metadata changes (a log creation in progress stops), the follower fetchers and the ISR check
     * (leaders resign), then the delayed-fetch timer.
     */
    @Override
    public void close() {
        partitions.close();
        replicas.close();
        timer.close();
    }
}
