package io.brook.broker.handlers.quota;

import java.util.List;

import io.brook.broker.BrokerContext;
import io.brook.broker.HandlerFamily;
import io.brook.broker.api.ApiHandler;

/**
 * The client quota APIs. With an authorizer, {@link io.brook.broker.authz.RequestGate} checks DESCRIBE_CONFIGS /
 * ALTER_CONFIGS on the cluster before the handlers run, as Kafka does. Immutable; thread-safe.
 */
public final class QuotaHandlers implements HandlerFamily {

    private final List<ApiHandler<?>> handlers;

    private QuotaHandlers(BrokerContext context) {
        this.handlers = List.of(new DescribeClientQuotasHandler(context.metadata()),
                new AlterClientQuotasHandler(context.metadata()));
    }

    public static HandlerFamily create(BrokerContext context) {
        return new QuotaHandlers(context);
    }

    @Override
    public List<ApiHandler<?>> handlers() {
        return handlers;
    }
}
