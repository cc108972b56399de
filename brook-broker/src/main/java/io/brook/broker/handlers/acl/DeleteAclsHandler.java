package io.brook.broker.handlers.acl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DeleteAclsRequest;
import org.apache.kafka.common.requests.DeleteAclsResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.authz.Authorization;
import io.brook.metadata.AclEntry;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.cluster.CommandReply;
import io.brook.metadata.cluster.MetadataCommand;
import io.brook.metadata.cluster.MetadataRequests;

/**
 * DeleteAcls: one DeleteAcls command with every valid filter; each filter's result lists the ACLs it removed. A
 * filter with an UNKNOWN element gets INVALID_REQUEST. Stateless; never blocks.
 */
final class DeleteAclsHandler implements ApiHandler<DeleteAclsRequest> {

    private final MetadataStore metadata;
    private final Authorization authorization;

    DeleteAclsHandler(MetadataStore metadata, Authorization authorization) {
        this.metadata = metadata;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_ACLS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DeleteAclsRequest request) {
        if (!authorization.enabled()) {
            throw AclHandlers.securityDisabled();
        }
        List<AclBindingFilter> filters = request.filters();
        List<MetadataCommand.AclFilter> valid = new ArrayList<>();
        for (AclBindingFilter filter : filters) {
            if (!filter.isUnknown()) {
                valid.add(MetadataCommand.AclFilter.of(filter));
            }
        }
        CompletableFuture<CommandReply> submitted = valid.isEmpty()
                ? CompletableFuture.completedFuture(new CommandReply.AclsDeleted(List.of()))
                : metadata.submit(new MetadataCommand.DeleteAcls(valid));
        return submitted.handle((reply, failure) -> {
            List<List<AclEntry>> deleted = null;
            ApiError error = null;
            try {
                if (failure != null) {
                    throw failure;
                }
                deleted = MetadataRequests.orThrow(reply, CommandReply.AclsDeleted.class).deletedPerFilter();
            } catch (Throwable e) {
                error = ApiError.fromThrowable(e);
            }
            List<DeleteAclsFilterResult> results = new ArrayList<>();
            int next = 0;
            for (AclBindingFilter filter : filters) {
                DeleteAclsFilterResult result = new DeleteAclsFilterResult();
                if (filter.isUnknown()) {
                    result.setErrorCode(Errors.INVALID_REQUEST.code())
                            .setErrorMessage("The filter has an UNKNOWN element: " + filter);
                } else if (error != null) {
                    result.setErrorCode(error.error().code()).setErrorMessage(error.message());
                } else {
                    for (AclEntry acl : deleted.get(next)) {
                        result.matchingAcls().add(DeleteAclsResponse.matchingAcl(acl.toBinding(), ApiError.NONE));
                    }
                }
                if (!filter.isUnknown()) {
                    next++;
                }
                results.add(result);
            }
            return new DeleteAclsResponse(new DeleteAclsResponseData().setFilterResults(results), request.version());
        });
    }
}
