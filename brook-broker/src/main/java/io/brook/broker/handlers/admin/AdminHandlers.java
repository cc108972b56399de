package io.brook.broker.handlers.admin;

import java.util.List;

import io.brook.broker.BrokerContext;
import io.brook.broker.HandlerFamily;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.logging.InMemoryLoggerLevels;
import io.brook.broker.logging.LoggerLevels;

/**
 * The admin API family: topic and config management, DescribeCluster, DescribeLogDirs, leader elections, partition
 * reassignments and DescribeQuorum. Owns the admin thread that
 * runs metadata mutations; {@link #close()} stops it.
 */
public final class AdminHandlers implements HandlerFamily {

    private final AdminExecutor executor;
    private final List<ApiHandler<?>> handlers;

    private AdminHandlers(BrokerContext context) {
        this.executor = new AdminExecutor();
        ConfigDescriber describer = new ConfigDescriber(context.config());
        ConfigChanger changer = new ConfigChanger(context);
        BrokerLoggerConfigs loggers = new BrokerLoggerConfigs(context.nodeId(),
                context.services().find(LoggerLevels.class).orElseGet(InMemoryLoggerLevels::new));
        this.handlers = List.of(
                new CreateTopicsHandler(context, executor, describer),
                new DeleteTopicsHandler(context, executor),
                new CreatePartitionsHandler(context, executor),
                new DescribeConfigsHandler(context, describer, loggers),
                new AlterConfigsHandler(executor, changer),
                new IncrementalAlterConfigsHandler(executor, changer, loggers),
                new DescribeClusterHandler(context),
                new DescribeLogDirsHandler(context),
                new ElectLeadersHandler(context),
                new AlterPartitionReassignmentsHandler(context),
                new ListPartitionReassignmentsHandler(context),
                DescribeQuorumHandler.create(context));
    }

    public static HandlerFamily create(BrokerContext context) {
        return new AdminHandlers(context);
    }

    @Override
    public List<ApiHandler<?>> handlers() {
        return handlers;
    }

    @Override
    public void close() {
        executor.close();
    }
}
