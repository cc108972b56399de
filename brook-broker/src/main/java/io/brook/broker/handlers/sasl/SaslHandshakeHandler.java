package io.brook.broker.handlers.sasl;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;

/**
 * A SaslHandshake that no SASL conversation took: on a listener without SASL, or after authentication without
 * re-authentication. ILLEGAL_SASL_STATE, as Kafka answers.
 */
final class SaslHandshakeHandler implements ApiHandler<SaslHandshakeRequest> {

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_HANDSHAKE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, SaslHandshakeRequest request) {
        return CompletableFuture.completedFuture(new SaslHandshakeResponse(new SaslHandshakeResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())));
    }
}
