package io.brook.broker;

import java.util.List;

import io.brook.broker.api.ApiHandler;

/**
 * A group of API handlers that share state (e.g. the data path: produce, fetch, list offsets share the partitions and
 * the delayed-fetch purgatory). Built from a {@link BrokerContext}; closed when the broker stops.
 */
public interface HandlerFamily extends AutoCloseable {

    List<ApiHandler<?>> handlers();

    @Override
    default void close() {
    }
}
