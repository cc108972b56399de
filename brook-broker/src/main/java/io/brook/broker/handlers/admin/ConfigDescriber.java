package io.brook.broker.handlers.admin;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

import io.brook.broker.config.BrokerConfig;
import io.brook.metadata.DynamicBrokerConfigs;
import io.brook.metadata.EffectiveTopicConfig;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.TopicConfigs;
import io.brook.metadata.TopicImage;

/**
 * Lists the effective configs of a topic or of this broker, with sources and synonyms, as Kafka's DescribeConfigs
 * shows them. Immutable and thread-safe.
 */
final class ConfigDescriber {

    private final BrokerConfig config;
    /** Properties set explicitly in the static config (source STATIC_BROKER_CONFIG). */
    private final Map<String, String> staticProperties;

    ConfigDescriber(BrokerConfig config) {
        this.config = config;
        this.staticProperties = config.explicitProperties();
    }

    /** Every topic config of {@code topic}, in definition order. */
    List<DescribedConfig> topic(TopicImage topic, MetadataImage image) {
        return topic(topic.configs(), image);
    }

    /** Every topic config for the given overrides (CreateTopics with validate_only has no TopicImage yet). */
    List<DescribedConfig> topic(Map<String, String> overrides, MetadataImage image) {
        EffectiveTopicConfig effective = EffectiveTopicConfig.resolve(overrides, image.brokerConfigs(),
                staticProperties);
        List<DescribedConfig> described = new ArrayList<>();
        for (EffectiveTopicConfig.Entry entry : effective.entries().values()) {
            ConfigDef.ConfigKey key = TopicConfigs.key(entry.name()).orElseThrow();
            List<DescribedConfig.Synonym> synonyms = entry.synonyms().stream()
                    .map(s -> new DescribedConfig.Synonym(s.name(), s.value(), sourceOf(s.source())))
                    .toList();
            described.add(new DescribedConfig(entry.name(), entry.value(), sourceOf(entry.source()), false, false,
                    synonyms, key.type, key.documentation));
        }
        return described;
    }

    /** This node's configs: the static definition plus every dynamically changeable log default. */
    List<DescribedConfig> broker(MetadataImage image) {
        Set<String> names = new LinkedHashSet<>(BrokerConfig.definition().configKeys().keySet());
        names.addAll(new TreeSet<>(DynamicBrokerConfigs.names()));
        List<DescribedConfig> described = new ArrayList<>();
        for (String name : names) {
            described.add(brokerEntry(name, image));
        }
        return described;
    }

    /** The cluster-wide dynamic defaults (resource name ""): only those set. */
    List<DescribedConfig> clusterDefaults(MetadataImage image) {
        List<DescribedConfig> described = new ArrayList<>();
        new TreeMap<>(image.brokerConfigs()).forEach((name, value) -> {
            ConfigDef.ConfigKey key = brokerKey(name);
            described.add(new DescribedConfig(name, value, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, false, false,
                    List.of(new DescribedConfig.Synonym(name, value, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG)),
                    key != null ? key.type : ConfigDef.Type.STRING, key != null ? key.documentation : null));
        });
        return described;
    }

    private DescribedConfig brokerEntry(String name, MetadataImage image) {
        ConfigDef.ConfigKey key = brokerKey(name);
        boolean dynamic = DynamicBrokerConfigs.isDynamic(name);
        boolean sensitive = key.type == ConfigDef.Type.PASSWORD;
        List<DescribedConfig.Synonym> synonyms = new ArrayList<>();
        String dynamicValue = dynamic ? image.brokerConfigs().get(name) : null;
        if (dynamicValue != null) {
            synonyms.add(new DescribedConfig.Synonym(name, dynamicValue, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG));
        }
        String staticValue = staticProperties.get(name);
        if (staticValue != null) {
            synonyms.add(new DescribedConfig.Synonym(name, staticValue, ConfigSource.STATIC_BROKER_CONFIG));
        }
        String defaultValue = defaultValue(name, key);
        synonyms.add(new DescribedConfig.Synonym(name, defaultValue, ConfigSource.DEFAULT_CONFIG));
        DescribedConfig.Synonym winner = synonyms.get(0);
        if (sensitive) {
            synonyms = synonyms.stream().map(s -> new DescribedConfig.Synonym(s.name(), null, s.source())).toList();
        }
        return new DescribedConfig(name, sensitive ? null : winner.value(), winner.source(), !dynamic, sensitive,
                List.copyOf(synonyms), key.type, key.documentation);
    }

    /** The definition of a broker config: the static one, else (dynamic-only names) the topic equivalent's. */
    private static ConfigDef.ConfigKey brokerKey(String name) {
        ConfigDef.ConfigKey key = BrokerConfig.definition().configKeys().get(name);
        if (key != null) {
            return key;
        }
        return DynamicBrokerConfigs.topicConfig(name).flatMap(TopicConfigs::key).orElse(null);
    }

    private String defaultValue(String name, ConfigDef.ConfigKey key) {
        if (BrokerConfig.definition().configKeys().containsKey(name)) {
            return key.hasDefault() && key.defaultValue != null
                    ? ConfigDef.convertToString(key.defaultValue, key.type)
                    : null;
        }
        return DynamicBrokerConfigs.topicConfig(name).map(TopicConfigs::defaultValue).orElse(null);
    }

    static ConfigSource sourceOf(io.brook.metadata.ConfigSource source) {
        return switch (source) {
            case DYNAMIC_TOPIC_CONFIG -> ConfigSource.TOPIC_CONFIG;
            case DYNAMIC_DEFAULT_BROKER_CONFIG -> ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG;
            case STATIC_BROKER_CONFIG -> ConfigSource.STATIC_BROKER_CONFIG;
            case DEFAULT_CONFIG -> ConfigSource.DEFAULT_CONFIG;
        };
    }

    BrokerConfig config() {
        return config;
    }
}
