package io.brook.broker.handlers.group;

import java.util.List;

import io.brook.broker.BrokerContext;
import io.brook.broker.HandlerFamily;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.group.GroupConfig;

/**
 * The classic consumer group APIs, sharing one {@link GroupCoordinator}. Creation starts the coordinator's thread and
 * loads an existing {@code __consumer_offsets} in the background; {@link #close()} stops it. Thread-safe.
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
        GroupCoordinator coordinator = new GroupCoordinator(ctx.metadata(), ctx.logManager(), groupConfig(ctx.config()),
                ctx.config().offsetsTopicNumPartitions(), offsetsReplication, ctx.time());
        coordinator.start();
        List<ApiHandler<?>> handlers = List.of(
                new FindCoordinatorHandler(coordinator, ctx),
                new JoinGroupHandler(coordinator), new SyncGroupHandler(coordinator),
                new HeartbeatHandler(coordinator), new LeaveGroupHandler(coordinator),
                new OffsetCommitHandler(coordinator, ctx.metadata()),
                new OffsetFetchHandler(coordinator, ctx.metadata()), new DescribeGroupsHandler(coordinator),
                new ListGroupsHandler(coordinator), new DeleteGroupsHandler(coordinator),
                new OffsetDeleteHandler(coordinator));
        return new GroupHandlers(coordinator, handlers);
    }

    static GroupConfig groupConfig(BrokerConfig config) {
        return new GroupConfig(config.groupMinSessionTimeoutMs(), config.groupMaxSessionTimeoutMs(),
                config.groupInitialRebalanceDelayMs(), config.groupMaxSize(), config.offsetsRetentionMs(),
                config.offsetsRetentionCheckIntervalMs(), config.offsetMetadataMaxBytes());
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
