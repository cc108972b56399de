package io.brook.broker;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Services one handler family offers the families built after it, by type: the data path registers its
 * {@link io.brook.broker.replication.PartitionWriter}, which the group coordinator (and later the transaction
 * coordinator) writes its internal partitions through. Families are built in order by {@code Broker}, so a family
 * finds only what an earlier one registered; a missing service is a wiring error, not a runtime condition.
 *
 * <p>Thread-safe.
 */
public final class BrokerServices {

    private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();

    /** Offers {@code service} as {@code type}; a type is registered once. */
    public <T> void register(Class<T> type, T service) {
        Object previous = services.putIfAbsent(type, type.cast(service));
        if (previous != null) {
            throw new IllegalStateException(type.getSimpleName() + " is registered already: " + previous);
        }
    }

    public <T> Optional<T> find(Class<T> type) {
        return Optional.ofNullable(services.get(type)).map(type::cast);
    }

    /** The service registered as {@code type}; fails naming the family that should have registered it. */
    public <T> T require(Class<T> type, String registeredBy) {
        return find(type).orElseThrow(() -> new IllegalStateException(
                type.getSimpleName() + " is not registered: " + registeredBy + " must be built first"));
    }
}
