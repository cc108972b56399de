package io.brook.broker.network.limits;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;

import io.brook.broker.config.BrokerConfig;

/**
 * The connection limits in force, as Kafka names them: broker-wide and per listener {@code max.connections} and
 * {@code max.connection.creation.rate}, {@code max.connections.per.ip} and its per-address overrides.
 * {@link Integer#MAX_VALUE} means unlimited. Immutable.
 *
 * @param maxConnections broker-wide open connections (the protected listener exempt)
 * @param maxConnectionsPerIp open connections per client address without an override
 * @param perIpOverrides per client address limits
 * @param maxCreationRate broker-wide new connections a second (the protected listener exempt)
 * @param listenerMaxConnections per listener open connections; a listener not named is unlimited
 * @param listenerMaxCreationRate per listener new connections a second; a listener not named is unlimited
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerIp, Map<InetAddress, Integer> perIpOverrides,
        int maxCreationRate, Map<String, Integer> listenerMaxConnections,
        Map<String, Integer> listenerMaxCreationRate) {

    public static final ConnectionLimits UNLIMITED = new ConnectionLimits(Integer.MAX_VALUE, Integer.MAX_VALUE,
            Map.of(), Integer.MAX_VALUE, Map.of(), Map.of());

    public ConnectionLimits {
        perIpOverrides = Map.copyOf(perIpOverrides);
        listenerMaxConnections = Map.copyOf(listenerMaxConnections);
        listenerMaxCreationRate = Map.copyOf(listenerMaxCreationRate);
    }

    /**
     * The limits {@code config} sets for {@code listeners}; the override host names are resolved here (a name that
     * does not resolve is a {@link ConfigException}, as in Kafka).
     */
    public static ConnectionLimits from(BrokerConfig config, List<String> listeners) {
        Map<InetAddress, Integer> overrides = new HashMap<>();
        config.maxConnectionsPerIpOverrides().forEach((host, count) -> {
            try {
                overrides.put(InetAddress.getByName(host), count);
            } catch (UnknownHostException e) {
                throw new ConfigException(BrokerConfig.MAX_CONNECTIONS_PER_IP_OVERRIDES, host,
                        "unknown host " + host);
            }
        });
        Map<String, Integer> listenerMax = new HashMap<>();
        Map<String, Integer> listenerRate = new HashMap<>();
        for (String listener : listeners) {
            listenerMax.put(listener, config.listenerMaxConnections(listener));
            listenerRate.put(listener, config.listenerMaxConnectionCreationRate(listener));
        }
        return new ConnectionLimits(config.maxConnections(), config.maxConnectionsPerIp(), overrides,
                config.maxConnectionCreationRate(), listenerMax, listenerRate);
    }

    /** The open connections {@code address} may have. */
    public int maxConnectionsFor(InetAddress address) {
        return perIpOverrides.getOrDefault(address, maxConnectionsPerIp);
    }

    public int maxConnectionsOf(String listener) {
        return listenerMaxConnections.getOrDefault(listener, Integer.MAX_VALUE);
    }

    public int maxCreationRateOf(String listener) {
        return listenerMaxCreationRate.getOrDefault(listener, Integer.MAX_VALUE);
    }
}
