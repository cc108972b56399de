package io.brook.broker.handlers.admin;

import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;

import io.brook.broker.BrokerContext;
import io.brook.metadata.DynamicBrokerConfigs;
import io.brook.metadata.TopicConfigs;
import io.brook.metadata.TopicImage;

/**
 * Applies config changes to one resource (TOPIC or BROKER) through the metadata store, which validates them. Shared
 * by AlterConfigs and IncrementalAlterConfigs; called on the admin thread.
 */
final class ConfigChanger {

    private final BrokerContext context;

    ConfigChanger(BrokerContext context) {
        this.context = context;
    }

    /**
     * @param changes a present value sets the config, an empty one removes the override
     * @param replaceAll drop every override not named in {@code changes}
     */
    void apply(ConfigResource resource, Map<String, Optional<String>> changes, boolean replaceAll,
            boolean validateOnly) {
        switch (resource.type()) {
            case TOPIC -> {
                if (resource.name().isEmpty()) {
                    throw new InvalidRequestException("Default topic resources are not allowed.");
                }
                context.metadata().alterTopicConfigs(resource.name(), changes, replaceAll, validateOnly);
            }
            case BROKER -> {
                // One node: a per-broker change and a cluster-wide default mean the same, so both are stored as
                // the cluster-wide dynamic config.
                BrokerResources.isClusterDefault(resource.name(), context.nodeId());
                context.metadata().alterBrokerConfigs(changes, replaceAll, validateOnly);
            }
            // As Kafka: legacy AlterConfigs does not know BROKER_LOGGER (IncrementalAlterConfigs does).
            case BROKER_LOGGER -> throw new InvalidRequestException("Unknown resource type "
                    + resource.type().id());
            default -> throw new InvalidRequestException("Unsupported resource type " + resource.type()
                    + " for altering configs.");
        }
    }

    /** The type of a config of the resource, or null when the name is unknown. */
    ConfigDef.ConfigKey keyOf(ConfigResource resource, String name) {
        if (resource.type() == ConfigResource.Type.TOPIC) {
            return TopicConfigs.key(name).orElse(null);
        }
        return DynamicBrokerConfigs.topicConfig(name).flatMap(TopicConfigs::key).orElse(null);
    }

    /** The value a list APPEND/SUBTRACT starts from: the current override, else the built-in default. */
    String currentValue(ConfigResource resource, String name) {
        String current = null;
        if (resource.type() == ConfigResource.Type.TOPIC) {
            current = context.metadata().image().topic(resource.name()).map(TopicImage::configs)
                    .map(configs -> configs.get(name)).orElse(null);
            if (current == null) {
                current = TopicConfigs.key(name).isPresent() ? TopicConfigs.defaultValue(name) : null;
            }
        } else if (resource.type() == ConfigResource.Type.BROKER) {
            current = context.metadata().image().brokerConfigs().get(name);
            if (current == null) {
                current = DynamicBrokerConfigs.topicConfig(name).map(TopicConfigs::defaultValue).orElse(null);
            }
        }
        return current;
    }
}
