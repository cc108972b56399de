package io.brook.broker.handlers.admin;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.ApiError;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;

/**
 * The legacy AlterConfigs: the given configs replace every override of the resource. Runs on the admin thread.
 */
final class AlterConfigsHandler implements ApiHandler<AlterConfigsRequest> {

    private final AdminExecutor executor;
    private final ConfigChanger changer;

    AlterConfigsHandler(AdminExecutor executor, ConfigChanger changer) {
        this.executor = executor;
        this.changer = changer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext requestContext, AlterConfigsRequest request) {
        return executor.submit(() -> new AlterConfigsResponse(alterAll(request)));
    }

    private AlterConfigsResponseData alterAll(AlterConfigsRequest request) {
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        Set<ConfigResource> seen = new HashSet<>();
        Set<ConfigResource> duplicates = new HashSet<>();
        for (AlterConfigsResource resource : request.data().resources()) {
            if (!seen.add(resourceOf(resource))) {
                duplicates.add(resourceOf(resource));
            }
        }
        for (AlterConfigsResource resource : request.data().resources()) {
            ConfigResource configResource = resourceOf(resource);
            ApiError error;
            try {
                if (duplicates.contains(configResource)) {
                    throw new InvalidRequestException("Each resource must appear at most once.");
                }
                changer.apply(configResource, changesOf(resource), true, request.data().validateOnly());
                error = ApiError.NONE;
            } catch (RuntimeException e) {
                error = ApiError.fromThrowable(e);
            }
            response.responses().add(new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName())
                    .setErrorCode(error.error().code())
                    .setErrorMessage(error.error() == Errors.NONE ? null : error.message()));
        }
        return response;
    }

    private static Map<String, Optional<String>> changesOf(AlterConfigsResource resource) {
        Map<String, Optional<String>> changes = new HashMap<>();
        for (AlterableConfig config : resource.configs()) {
            if (config.value() == null) {
                throw new InvalidRequestException("Null value not supported for config " + config.name());
            }
            if (changes.put(config.name(), Optional.of(config.value())) != null) {
                throw new InvalidRequestException("Error due to duplicate config keys");
            }
        }
        return changes;
    }

    private static ConfigResource resourceOf(AlterConfigsResource resource) {
        return new ConfigResource(ConfigResource.Type.forId(resource.resourceType()), resource.resourceName());
    }
}
