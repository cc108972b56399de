package io.brook.broker.replication;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.security.InterBrokerSockets;

/**
 * The follower fetch settings, parsed once from the broker config (Kafka's names and defaults).
 *
 * @param listenerName the leader endpoint to connect to ({@link BrokerConfig#replicationListenerName()})
 * @param maxBytesPerPartition {@code replica.fetch.max.bytes}
 * @param maxBytes {@code replica.fetch.response.max.bytes}
 * @param minBytes {@code replica.fetch.min.bytes}
 * @param maxWaitMs {@code replica.fetch.wait.max.ms}
 * @param backoffMs {@code replica.fetch.backoff.ms}
 * @param socketTimeoutMs {@code replica.socket.timeout.ms}
 * @param fetchersPerBroker {@code num.replica.fetchers}
 * @param sockets how fetchers connect to leaders: TLS when the inter-broker listener is SSL
 */
public record FetcherSettings(String listenerName, int maxBytesPerPartition, int maxBytes, int minBytes,
        int maxWaitMs, int backoffMs, int socketTimeoutMs, int fetchersPerBroker, InterBrokerSockets sockets) {

    /** Settings with plain TCP connections. */
    public FetcherSettings(String listenerName, int maxBytesPerPartition, int maxBytes, int minBytes,
            int maxWaitMs, int backoffMs, int socketTimeoutMs, int fetchersPerBroker) {
        this(listenerName, maxBytesPerPartition, maxBytes, minBytes, maxWaitMs, backoffMs, socketTimeoutMs,
                fetchersPerBroker, InterBrokerSockets.plaintext());
    }

    public static FetcherSettings from(BrokerConfig config) {
        return new FetcherSettings(config.replicationListenerName(), config.replicaFetchMaxBytes(),
                config.replicaFetchResponseMaxBytes(), config.replicaFetchMinBytes(), config.replicaFetchWaitMaxMs(),
                config.replicaFetchBackoffMs(), Math.max(config.replicaSocketTimeoutMs(),
                        config.replicaFetchWaitMaxMs() + 1000),
                config.numReplicaFetchers(), InterBrokerSockets.from(config));
    }
}
