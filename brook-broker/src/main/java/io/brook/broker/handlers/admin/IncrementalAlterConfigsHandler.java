package io.brook.broker.handlers.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;

import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;

/**
 * IncrementalAlterConfigs: SET, DELETE, and APPEND/SUBTRACT for list configs (starting from the current override or
 * the default). BROKER_LOGGER changes logger levels instead (see {@link BrokerLoggerConfigs}). Runs on the admin
 * thread.
 */
final class IncrementalAlterConfigsHandler implements ApiHandler<IncrementalAlterConfigsRequest> {

    private final AdminExecutor executor;
    private final ConfigChanger changer;
    private final BrokerLoggerConfigs loggers;

    IncrementalAlterConfigsHandler(AdminExecutor executor, ConfigChanger changer, BrokerLoggerConfigs loggers) {
        this.executor = executor;
        this.changer = changer;
        this.loggers = loggers;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext requestContext,
            IncrementalAlterConfigsRequest request) {
        return executor.submit(() -> new IncrementalAlterConfigsResponse(alterAll(request)));
    }

    private IncrementalAlterConfigsResponseData alterAll(IncrementalAlterConfigsRequest request) {
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
        List<AlterConfigsResource> resources = List.copyOf(request.data().resources());
        List<ApiError> errors = PerResourceAlteration.applyEach(resources,
                IncrementalAlterConfigsHandler::resourceOf,
                (resource, key) -> {
                    if (key.type() == ConfigResource.Type.BROKER_LOGGER) {
                        loggers.alter(key.name(), resource.configs(), request.data().validateOnly());
                    } else {
                        changer.apply(key, changesOf(key, resource), false, request.data().validateOnly());
                    }
                });
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

    private Map<String, Optional<String>> changesOf(ConfigResource resource, AlterConfigsResource request) {
        Map<String, Optional<String>> changes = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (AlterableConfig config : request.configs()) {
            if (!names.add(config.name())) {
                throw new InvalidRequestException("Error due to duplicate config keys");
            }
        }
        for (AlterableConfig config : request.configs()) {
            AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(config.configOperation());
            if (op == null) {
                throw new InvalidRequestException("Unknown config operation " + config.configOperation()
                        + " for " + config.name());
            }
            switch (op) {
                case SET -> {
                    if (config.value() == null) {
                        throw new InvalidRequestException("Null value not supported for config " + config.name());
                    }
                    changes.put(config.name(), Optional.of(config.value()));
                }
                case DELETE -> {
                    if (resource.type() == ConfigResource.Type.TOPIC
                            && changer.keyOf(resource, config.name()) == null) {
                        throw new InvalidConfigurationException("Unknown topic config name: " + config.name());
                    }
                    changes.put(config.name(), Optional.empty());
                }
                case APPEND, SUBTRACT -> changes.put(config.name(), Optional.of(listChange(resource, config, op)));
            }
        }
        return changes;
    }

    private String listChange(ConfigResource resource, AlterableConfig config, AlterConfigOp.OpType op) {
        ConfigDef.ConfigKey key = changer.keyOf(resource, config.name());
        if (key == null) {
            throw new InvalidConfigurationException("Unknown config name: " + config.name());
        }
        if (key.type != ConfigDef.Type.LIST) {
            throw new InvalidConfigurationException("Config value " + op.name().toLowerCase() + " is not allowed"
                    + " for config key: " + config.name());
        }
        List<String> values = new ArrayList<>(split(changer.currentValue(resource, config.name())));
        List<String> given = split(config.value());
        if (op == AlterConfigOp.OpType.APPEND) {
            given.stream().filter(v -> !values.contains(v)).forEach(values::add);
        } else {
            values.removeAll(given);
        }
        return String.join(",", values);
    }

    private static List<String> split(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static ConfigResource resourceOf(AlterConfigsResource resource) {
        return new ConfigResource(ConfigResource.Type.forId(resource.resourceType()), resource.resourceName());
    }
}
