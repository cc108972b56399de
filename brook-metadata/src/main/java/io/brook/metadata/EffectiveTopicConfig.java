package io.brook.metadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves a topic's effective configs: its override, else a dynamic cluster-wide broker default, else a static
 * broker property, else the built-in default (Kafka's precedence). Also lists the synonyms DescribeConfigs shows.
 *
 * <p>Immutable and thread-safe.
 */
public final class EffectiveTopicConfig {

    /** One candidate value for a config, with where it came from; the first synonym of an entry is the winner. */
    public record Synonym(String name, String value, ConfigSource source) {
    }

    /**
     * The effective value of one topic config.
     *
     * @param name topic config name
     * @param value the effective value, in the topic config's unit; null when the config has no value
     * @param source where {@code value} came from
     * @param synonyms every candidate in precedence order (broker values in their own unit)
     */
    public record Entry(String name, String value, ConfigSource source, List<Synonym> synonyms) {
    }

    private final Map<String, Entry> entries;

    private EffectiveTopicConfig(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /**
     * @param topicOverrides the topic's overrides ({@link TopicImage#configs()})
     * @param dynamicBrokerConfigs cluster-wide dynamic broker configs ({@link MetadataImage#brokerConfigs()})
     * @param staticBrokerConfigs the properties set explicitly in the broker's static config
     */
    public static EffectiveTopicConfig resolve(Map<String, String> topicOverrides,
            Map<String, String> dynamicBrokerConfigs, Map<String, String> staticBrokerConfigs) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String name : TopicConfigs.names()) {
            List<Synonym> synonyms = new ArrayList<>();
            if (topicOverrides.containsKey(name)) {
                synonyms.add(new Synonym(name, topicOverrides.get(name), ConfigSource.DYNAMIC_TOPIC_CONFIG));
            }
            List<BrokerSynonym> brokerSynonyms = TopicConfigs.brokerSynonyms(name);
            String effective = null;
            ConfigSource source = null;
            for (BrokerSynonym synonym : brokerSynonyms) {
                String dynamic = dynamicBrokerConfigs.get(synonym.name());
                if (dynamic != null) {
                    synonyms.add(new Synonym(synonym.name(), dynamic, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG));
                    if (source == null) {
                        effective = synonym.toTopicValue(dynamic);
                        source = ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG;
                    }
                }
                String fixed = staticBrokerConfigs.get(synonym.name());
                if (fixed != null) {
                    synonyms.add(new Synonym(synonym.name(), fixed, ConfigSource.STATIC_BROKER_CONFIG));
                    if (source == null) {
                        effective = synonym.toTopicValue(fixed);
                        source = ConfigSource.STATIC_BROKER_CONFIG;
                    }
                }
            }
            String defaultValue = TopicConfigs.defaultValue(name);
            String defaultName = brokerSynonyms.isEmpty() ? name : brokerSynonyms.get(0).name();
            synonyms.add(new Synonym(defaultName, defaultValue, ConfigSource.DEFAULT_CONFIG));
            if (topicOverrides.containsKey(name)) {
                effective = topicOverrides.get(name);
                source = ConfigSource.DYNAMIC_TOPIC_CONFIG;
            } else if (source == null) {
                effective = defaultValue;
                source = ConfigSource.DEFAULT_CONFIG;
            }
            entries.put(name, new Entry(name, effective, source, List.copyOf(synonyms)));
        }
        return new EffectiveTopicConfig(Collections.unmodifiableMap(entries));
    }

    /** Every topic config, in definition order. */
    public Map<String, Entry> entries() {
        return entries;
    }

    public Entry entry(String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("Unknown topic config " + name);
        }
        return entry;
    }

    /** The effective value; null when the config has none. */
    public String value(String name) {
        return entry(name).value();
    }
}
