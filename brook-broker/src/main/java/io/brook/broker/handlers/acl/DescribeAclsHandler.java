package io.brook.broker.handlers.acl;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.DescribeAclsResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.authz.Authorization;
import io.brook.metadata.AclEntry;
import io.brook.metadata.MetadataStore;

/**
 * DescribeAcls: the ACLs of this node's image that match the filter, grouped by resource pattern. Stateless; runs on
 * the event loop (one pass over the ACLs, as Kafka's describe does).
 */
final class DescribeAclsHandler implements ApiHandler<DescribeAclsRequest> {

    private final MetadataStore metadata;
    private final Authorization authorization;

    DescribeAclsHandler(MetadataStore metadata, Authorization authorization) {
        this.metadata = metadata;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_ACLS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DescribeAclsRequest request) {
        if (!authorization.enabled()) {
            throw AclHandlers.securityDisabled();
        }
        AclBindingFilter filter = request.filter();
        if (filter.isUnknown()) {
            throw new InvalidRequestException("The filter has an UNKNOWN element: " + filter);
        }
        var matching = metadata.image().acls().stream().sorted(AclEntry.ORDER).map(AclEntry::toBinding)
                .filter(filter::matches).toList();
        return CompletableFuture.completedFuture(new DescribeAclsResponse(
                new DescribeAclsResponseData().setResources(DescribeAclsResponse.aclsResources(matching)),
                request.version()));
    }
}
