package io.brook.metadata;

/**
 * Where an effective config value comes from, most specific first (Kafka's DescribeConfigs sources, restricted to
 * those a single node has).
 */
public enum ConfigSource {
    /** A topic-level override stored in the metadata. */
    DYNAMIC_TOPIC_CONFIG,
    /** A cluster-wide dynamic broker config stored in the metadata. */
    DYNAMIC_DEFAULT_BROKER_CONFIG,
    /** A property set explicitly in the broker's static configuration (server.properties). */
    STATIC_BROKER_CONFIG,
    /** The built-in default. */
    DEFAULT_CONFIG
}
