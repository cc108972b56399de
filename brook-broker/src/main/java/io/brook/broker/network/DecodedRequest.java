package io.brook.broker.network;

import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A parsed request frame.
 *
 * @param header the header as the client sent it
 * @param request the body; for an ApiVersions request newer than we know, an empty v0 request flagged as unsupported
 *        (KIP-511)
 * @param responseVersion the version the response is written in (0 for the KIP-511 fallback, else the request's)
 */
record DecodedRequest(RequestHeader header, AbstractRequest request, short responseVersion) {
}
