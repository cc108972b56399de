package io.brook.broker.handlers.group;

import java.util.ArrayList;
import java.util.List;

import io.brook.broker.BrokerContext;
import io.brook.broker.HandlerFamily;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.group.ConsumerGroupConfig;
import io.brook.broker.group.GroupConfig;
import io.brook.broker.group.assignor.Assignors;
import io.brook.broker.group.assignor.ConsumerGroupAssignor;
import io.brook.broker.metrics.BrokerMetrics;
import io.brook.broker.replication.PartitionWriter;
import io.brook.broker.txn.TransactionMarkerWriter;

/**
 * The consumer group APIs (classic, and KIP-848's when {@code consumer} is a rebalance protocol), sharing one
 * {@link GroupCoordinator}, which writes through the data path's {@link PartitionWriter} (so the data path family
 * must be built first). Creation starts the coordinator's thread and loads an existing {@code __consumer_offsets} in
 * the background; {@link #close()} stops it. Thread-safe.
 */
public final class GroupHandlers implements HandlerFamily {

    private final GroupCoordinator coordinator;
    private final List<ApiHandler<?>> handlers;

    private GroupHandlers(GroupCoordinator coordinator, List<ApiHandler<?>> handlers) {
        this.coordinator = coordinator;
        this.handlers = handlers;
    }

    public static GroupHandlers create(BrokerContext ctx) {
        // A single node (no controller.quorum.voters) is the whole cluster: its offsets topic has one replica whatever
        // offsets.topic.replication.factor says, as Kafka's single-node sample configuration sets it.
        short offsetsReplication = ctx.config().explicitQuorumVoters().isPresent()
                ? ctx.config().offsetsTopicReplicationFactor()
                : 1;
        PartitionWriter writer = ctx.services().require(PartitionWriter.class, "the data path (DataPathHandlers)");
        GroupCoordinator coordinator = new GroupCoordinator(ctx.metadata(), ctx.nodeId(), ctx.logManager(), writer,
                groupConfig(ctx.config()), consumerGroupConfig(ctx.config()), ctx.config().offsetsTopicNumPartitions(),
                offsetsReplication, ctx.config().offsetsCommitTimeoutMs(), ctx.time());
        coordinator.start();
        List<ApiHandler<?>> handlers = new ArrayList<>(List.of(
                new FindCoordinatorHandler(coordinator, ctx),
                new JoinGroupHandler(coordinator), new SyncGroupHandler(coordinator),
                new HeartbeatHandler(coordinator), new LeaveGroupHandler(coordinator),
                new OffsetCommitHandler(coordinator, ctx.metadata()),
                new OffsetFetchHandler(coordinator, ctx.metadata()), new DescribeGroupsHandler(coordinator),
                new ListGroupsHandler(coordinator), new DeleteGroupsHandler(coordinator),
                new OffsetDeleteHandler(coordinator),
                new TxnOffsetCommitHandler(coordinator, ctx.metadata(), ctx.services())));
        GroupLagMetrics.register(BrokerMetrics.of(ctx.services()), coordinator, ctx.logManager());
        // WriteTxnMarkers hands the markers of __consumer_offsets to the coordinator that owns them.
        ctx.services().register(TransactionMarkerWriter.class, new GroupTransactionMarkerWriter(coordinator));
        if (ctx.config().consumerGroupProtocolEnabled()) {
            handlers.add(new ConsumerGroupHeartbeatHandler(coordinator));
            handlers.add(new ConsumerGroupDescribeHandler(coordinator));
        }
        return new GroupHandlers(coordinator, List.copyOf(handlers));
    }

    static GroupConfig groupConfig(BrokerConfig config) {
        return new GroupConfig(config.groupMinSessionTimeoutMs(), config.groupMaxSessionTimeoutMs(),
                config.groupInitialRebalanceDelayMs(), config.groupMaxSize(), config.offsetsRetentionMs(),
                config.offsetsRetentionCheckIntervalMs(), config.offsetMetadataMaxBytes());
    }

    static ConsumerGroupConfig consumerGroupConfig(BrokerConfig config) {
        List<ConsumerGroupAssignor> assignors = config.groupConsumerAssignors().stream()
                .map(name -> Assignors.byName(name).orElseThrow(
                        () -> new IllegalArgumentException("Unknown consumer group assignor " + name)))
                .toList();
        return new ConsumerGroupConfig(config.consumerGroupProtocolEnabled(), config.groupConsumerSessionTimeoutMs(),
                config.groupConsumerHeartbeatIntervalMs(), config.groupConsumerMaxSize(), assignors);
    }

    @Override
    public List<ApiHandler<?>> handlers() {
        return handlers;
    }

    @Override
    public void close() {
        coordinator.close();
    }
}
