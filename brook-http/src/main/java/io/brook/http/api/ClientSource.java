package io.brook.http.api;

import io.brook.http.HttpCall;

/**
 * The Kafka clients a call runs through: the node's shared clients, or, when the HTTP side logs callers in, that
 * user's own clients so the broker's ACLs apply to what the API does for them. Thread-safe.
 */
@FunctionalInterface
public interface ClientSource {

    KafkaClients forCall(HttpCall call);
}
