package io.brook.broker.network;

import java.nio.ByteBuffer;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Parses one request frame (without its size prefix) into header and body with kafka-clients' codec.
 *
 * <p>As Kafka: an unknown API key, a version outside kafka-clients' range, a header or body that does not parse, or
 * a body with bytes left over is a {@link MalformedRequestException} (the connection is closed, since there is no
 * response shape to answer in). The exception is an ApiVersions request newer than we know, which becomes a v0
 * request flagged unsupported so the client learns our versions (KIP-511).
 *
 * <p>Stateless; no Netty.
 */
final class RequestDecoder {

    private static final int API_KEY_AND_VERSION_BYTES = 4;

    private RequestDecoder() {
    }

    static DecodedRequest decode(ByteBuffer frame) throws MalformedRequestException {
        if (frame.remaining() < API_KEY_AND_VERSION_BYTES) {
            throw new MalformedRequestException("request of " + frame.remaining() + " bytes has no header");
        }
        short apiKeyId = frame.getShort(frame.position());
        short version = frame.getShort(frame.position() + 2);
        if (!ApiKeys.hasId(apiKeyId)) {
            throw new MalformedRequestException("unknown api key " + apiKeyId);
        }
        ApiKeys apiKey = ApiKeys.forId(apiKeyId);
        boolean newerApiVersions = apiKey == ApiKeys.API_VERSIONS && version > apiKey.latestVersion();
        if (!newerApiVersions && !apiKey.isVersionSupported(version)) {
            throw new MalformedRequestException(apiKey + " version " + version + " is not supported (supported: "
                    + apiKey.oldestVersion() + ".." + apiKey.latestVersion() + ")");
        }
        RequestHeader header;
        try {
            header = RequestHeader.parse(frame);
        } catch (RuntimeException e) {
            throw new MalformedRequestException("malformed " + apiKey + " v" + version + " request header: " + e, e);
        }
        if (newerApiVersions) {
            // The body's shape is unknown; KIP-511 says to answer in v0 with the versions we do support.
            return new DecodedRequest(header,
                    new ApiVersionsRequest(new ApiVersionsRequestData(), (short) 0, version), (short) 0);
        }
        AbstractRequest request;
        try {
            request = AbstractRequest.parseRequest(apiKey, version, new ByteBufferAccessor(frame)).request;
        } catch (RuntimeException e) {
            throw new MalformedRequestException("malformed " + apiKey + " v" + version + " request body: " + e, e);
        }
        if (frame.hasRemaining()) {
            throw new MalformedRequestException(apiKey + " v" + version + " request has " + frame.remaining()
                    + " unread bytes after its body");
        }
        return new DecodedRequest(header, request, version);
    }
}
