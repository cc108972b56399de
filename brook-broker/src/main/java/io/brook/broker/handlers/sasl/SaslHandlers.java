package io.brook.broker.handlers.sasl;

import java.util.List;

import io.brook.broker.BrokerContext;
import io.brook.broker.HandlerFamily;
import io.brook.broker.api.ApiHandler;

/** The SASL family: SaslHandshake, SaslAuthenticate, AlterUserScramCredentials, DescribeUserScramCredentials. */
public final class SaslHandlers implements HandlerFamily {

    private final List<ApiHandler<?>> handlers;

    private SaslHandlers(BrokerContext context) {
        this.handlers = List.of(new SaslHandshakeHandler(), new SaslAuthenticateHandler(),
                new AlterUserScramCredentialsHandler(context), new DescribeUserScramCredentialsHandler(context));
    }

    public static HandlerFamily create(BrokerContext context) {
        return new SaslHandlers(context);
    }

    @Override
    public List<ApiHandler<?>> handlers() {
        return handlers;
    }
}
