package io.brook.broker.handlers.admin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.broker.logging.LogLevel;
import io.brook.broker.logging.LoggerLevels;

/**
 * The BROKER_LOGGER resource (KIP-412), with Kafka's rules: the name must be this node's id; DescribeConfigs lists
 * every logger with its effective level; IncrementalAlterConfigs SETs a level or DELETEs it (never the root's) on an
 * existing logger, and refuses APPEND/SUBTRACT. Every change of a request is validated before any is applied.
 *
 * <p>Thread-safe as {@link LoggerLevels} is.
 */
final class BrokerLoggerConfigs {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerLoggerConfigs.class);

    private final int nodeId;
    private final LoggerLevels levels;

    BrokerLoggerConfigs(int nodeId, LoggerLevels levels) {
        this.nodeId = nodeId;
        this.levels = levels;
    }

    List<DescribedConfig> describe(String resourceName) {
        if (resourceName == null || resourceName.isEmpty()) {
            throw new InvalidRequestException("Broker id must not be empty");
        }
        checkNodeId(resourceName);
        List<DescribedConfig> configs = new ArrayList<>();
        for (Map.Entry<String, String> logger : levels.levels().entrySet()) {
            configs.add(new DescribedConfig(logger.getKey(), logger.getValue(),
                    ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG, false, false, List.of(), null, null));
        }
        return configs;
    }

    void alter(String resourceName, Collection<AlterableConfig> changes, boolean validateOnly) {
        checkNodeId(resourceName);
        Set<String> names = new HashSet<>();
        for (AlterableConfig change : changes) {
            if (!names.add(change.name())) {
                throw new InvalidRequestException("Error due to duplicate config keys");
            }
            validate(change);
        }
        if (validateOnly) {
            return;
        }
        for (AlterableConfig change : changes) {
            if (change.configOperation() == AlterConfigOp.OpType.SET.id()) {
                levels.set(change.name(), LogLevel.of(change.value()).orElseThrow());
                LOG.warn("Updated the log level of {} to {}", change.name(), change.value());
            } else {
                levels.unset(change.name());
                LOG.warn("Unset the log level of {}", change.name());
            }
        }
    }

    private void validate(AlterableConfig change) {
        String name = change.name();
        AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(change.configOperation());
        if (op == null) {
            throw new InvalidRequestException("Unknown operation type " + change.configOperation()
                    + " is not allowed for the " + ConfigResource.Type.BROKER_LOGGER + " resource");
        }
        switch (op) {
            case SET -> {
                if (change.value() == null) {
                    throw new InvalidRequestException("Null value not supported for : " + name);
                }
                requireExists(name);
                if (LogLevel.of(change.value()).isEmpty()) {
                    throw new InvalidConfigurationException("Cannot set the log level of " + name + " to "
                            + change.value() + " as it is not a supported log level. Valid log levels are "
                            + LogLevel.validNames());
                }
            }
            case DELETE -> {
                requireExists(name);
                if (LoggerLevels.ROOT.equals(name)) {
                    throw new InvalidRequestException("Removing the log level of the " + LoggerLevels.ROOT
                            + " logger is not allowed");
                }
            }
            case APPEND, SUBTRACT -> throw new InvalidRequestException(op + " operation is not allowed for the "
                    + ConfigResource.Type.BROKER_LOGGER + " resource");
        }
    }

    private void requireExists(String name) {
        if (!levels.exists(name)) {
            throw new InvalidConfigurationException("Logger " + name + " does not exist!");
        }
    }

    private void checkNodeId(String resourceName) {
        int id;
        try {
            id = Integer.parseInt(resourceName);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("Node id must be an integer, but it is: " + resourceName);
        }
        if (id != nodeId) {
            throw new InvalidRequestException("Unexpected broker id, expected " + nodeId + ", but received "
                    + resourceName);
        }
    }
}
