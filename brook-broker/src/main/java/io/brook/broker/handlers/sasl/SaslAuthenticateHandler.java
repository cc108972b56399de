package io.brook.broker.handlers.sasl;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;

/** A SaslAuthenticate outside a SASL conversation gets ILLEGAL_SASL_STATE, as Kafka answers. */
final class SaslAuthenticateHandler implements ApiHandler<SaslAuthenticateRequest> {

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_AUTHENTICATE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, SaslAuthenticateRequest request) {
        return CompletableFuture.completedFuture(new SaslAuthenticateResponse(new SaslAuthenticateResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                .setErrorMessage("SaslAuthenticate request received after successful authentication")));
    }
}
