package io.brook.broker.handlers.acl;

import java.util.List;

import org.apache.kafka.common.errors.SecurityDisabledException;

import io.brook.broker.BrokerContext;
import io.brook.broker.HandlerFamily;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.authz.Authorization;

/**
 * The ACL APIs. Without an authorizer they answer SECURITY_DISABLED, as Kafka does; with one, the cluster checks
 * (ALTER to create or delete, DESCRIBE to list) are made by {@link io.brook.broker.authz.RequestGate} before the
 * handlers run. Immutable; thread-safe.
 */
public final class AclHandlers implements HandlerFamily {

    private final List<ApiHandler<?>> handlers;

    private AclHandlers(BrokerContext context) {
        Authorization authorization = Authorization.of(context);
        this.handlers = List.of(new CreateAclsHandler(context.metadata(), authorization),
                new DescribeAclsHandler(context.metadata(), authorization),
                new DeleteAclsHandler(context.metadata(), authorization));
    }

    public static HandlerFamily create(BrokerContext context) {
        return new AclHandlers(context);
    }

    @Override
    public List<ApiHandler<?>> handlers() {
        return handlers;
    }

    static SecurityDisabledException securityDisabled() {
        return new SecurityDisabledException("No Authorizer is configured.");
    }
}
