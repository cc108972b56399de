package io.brook.broker.api;

import java.net.InetAddress;

import org.apache.kafka.common.requests.RequestHeader;

/**
 * What a handler knows about the request besides its body.
 *
 * @param header the parsed request header (api key, version, correlation id, client id)
 * @param clientAddress the peer's address
 * @param listenerName the listener the connection arrived on
 * @param connectionId a unique id of the connection (for fetch sessions and logs)
 */
public record RequestContext(RequestHeader header, InetAddress clientAddress, String listenerName,
        String connectionId) {

    public short apiVersion() {
        return header.apiVersion();
    }

    public String clientId() {
        return header.clientId();
    }
}
