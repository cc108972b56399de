package io.brook.broker.handlers.admin;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        List<AlterConfigsResource> resources = List.copyOf(request.data().resources());
        List<ApiError> errors = PerResourceAlteration.applyEach(resources,
                AlterConfigsHandler::resourceOf,
                (resource, key) -> changer.apply(key, changesOf(resource), true, request.data().validateOnly()));
        for (int i = 0; i < resources.size(); i++) {
            AlterConfigsResource resource = resources.get(i);
            ApiError error = errors.get(i);
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
