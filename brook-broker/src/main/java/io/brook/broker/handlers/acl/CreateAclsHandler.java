package io.brook.broker.handlers.acl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.CreateAclsRequestData.AclCreation;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.apache.kafka.common.requests.CreateAclsResponse;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.authz.Authorization;
import io.brook.metadata.AclEntry;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.cluster.CommandReply;
import io.brook.metadata.cluster.MetadataCommand;
import io.brook.metadata.cluster.MetadataRequests;

/**
 * CreateAcls: validates each ACL as Kafka's controller does (INVALID_REQUEST for ANY/UNKNOWN types, a MATCH pattern,
 * an empty name, a principal without {@code type:}), then submits the valid ones as one CreateAcls command and
 * answers when it is applied. Stateless; runs on the event loop and never blocks.
 */
final class CreateAclsHandler implements ApiHandler<CreateAclsRequest> {

    private final MetadataStore metadata;
    private final Authorization authorization;

    CreateAclsHandler(MetadataStore metadata, Authorization authorization) {
        this.metadata = metadata;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_ACLS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, CreateAclsRequest request) {
        if (!authorization.enabled()) {
            throw AclHandlers.securityDisabled();
        }
        List<AclCreationResult> results = new ArrayList<>();
        List<AclEntry> valid = new ArrayList<>();
        for (AclCreation creation : request.aclCreations()) {
            AclCreationResult result = new AclCreationResult();
            try {
                AclBinding binding = CreateAclsRequest.aclBinding(creation);
                validate(binding);
                valid.add(AclEntry.of(binding));
            } catch (InvalidRequestException e) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(e.getMessage());
            }
            results.add(result);
        }
        if (valid.isEmpty()) {
            return CompletableFuture.completedFuture(new CreateAclsResponse(
                    new CreateAclsResponseData().setResults(results)));
        }
        return metadata.submit(new MetadataCommand.CreateAcls(valid)).handle((reply, failure) -> {
            ApiError error = failure != null ? ApiError.fromThrowable(failure) : null;
            if (error == null) {
                try {
                    MetadataRequests.orThrow(reply, CommandReply.Done.class);
                } catch (RuntimeException e) {
                    error = ApiError.fromThrowable(e);
                }
            }
            if (error != null) {
                for (AclCreationResult result : results) {
                    if (result.errorCode() == Errors.NONE.code()) {
                        result.setErrorCode(error.error().code()).setErrorMessage(error.message());
                    }
                }
            }
            return new CreateAclsResponse(new CreateAclsResponseData().setResults(results));
        });
    }

    /** @throws InvalidRequestException naming what is wrong */
    static void validate(AclBinding binding) {
        PatternType patternType = binding.pattern().patternType();
        if (patternType != PatternType.LITERAL && patternType != PatternType.PREFIXED) {
            throw new InvalidRequestException("Invalid patternType " + patternType);
        }
        ResourceType resourceType = binding.pattern().resourceType();
        if (resourceType == ResourceType.ANY || resourceType == ResourceType.UNKNOWN) {
            throw new InvalidRequestException("Invalid resourceType " + resourceType);
        }
        AclOperation operation = binding.entry().operation();
        if (operation == AclOperation.ANY || operation == AclOperation.UNKNOWN) {
            throw new InvalidRequestException("Invalid operation " + operation);
        }
        AclPermissionType permission = binding.entry().permissionType();
        if (permission != AclPermissionType.ALLOW && permission != AclPermissionType.DENY) {
            throw new InvalidRequestException("Invalid permissionType " + permission);
        }
        String name = binding.pattern().name();
        if (name == null || name.isEmpty()) {
            throw new InvalidRequestException("Resource name should not be empty");
        }
        if (resourceType == ResourceType.CLUSTER && !name.equals(Authorization.CLUSTER_NAME)) {
            throw new InvalidRequestException("The only valid name for the CLUSTER resource is "
                    + Authorization.CLUSTER_NAME);
        }
        String principal = binding.entry().principal();
        if (principal == null || principal.indexOf(':') <= 0) {
            throw new InvalidRequestException("Could not parse principal from `" + principal + "` (no colon is"
                    + " present separating the principal type from the principal name)");
        }
        if (binding.entry().host() == null || binding.entry().host().isEmpty()) {
            throw new InvalidRequestException("Invalid host: it should be * or an address");
        }
    }
}
