package io.brook.broker.handlers.admin;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.TopicImage;

/**
 * DescribeConfigs for TOPIC and BROKER resources (BROKER "" is the cluster-wide dynamic defaults, as in Kafka).
 * BROKER_LOGGER (this node's id) lists the node's loggers and their levels. Other resource types get
 * INVALID_REQUEST. Answered inline from the metadata image.
 */
final class DescribeConfigsHandler implements ApiHandler<DescribeConfigsRequest> {

    private final BrokerContext context;
    private final ConfigDescriber describer;
    private final BrokerLoggerConfigs loggers;

    DescribeConfigsHandler(BrokerContext context, ConfigDescriber describer, BrokerLoggerConfigs loggers) {
        this.context = context;
        this.describer = describer;
        this.loggers = loggers;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CONFIGS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext requestContext,
            DescribeConfigsRequest request) {
        MetadataImage image = context.metadata().image();
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsResource resource : request.data().resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            try {
                List<DescribedConfig> configs = describe(resource, image);
                Set<String> wanted = resource.configurationKeys() == null || resource.configurationKeys().isEmpty()
                        ? null
                        : new HashSet<>(resource.configurationKeys());
                for (DescribedConfig config : configs) {
                    if (wanted == null || wanted.contains(config.name())) {
                        result.configs().add(toResult(config, request.data().includeSynonyms(),
                                request.data().includeDocumentation()));
                    }
                }
                result.setErrorCode(Errors.NONE.code());
            } catch (RuntimeException e) {
                ApiError error = ApiError.fromThrowable(e);
                result.setErrorCode(error.error().code()).setErrorMessage(error.message()).configs().clear();
            }
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(new DescribeConfigsResponse(response));
    }

    private List<DescribedConfig> describe(DescribeConfigsResource resource, MetadataImage image) {
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        String name = resource.resourceName();
        switch (type) {
            case TOPIC -> {
                Topic.validate(name);
                TopicImage topic = image.topic(name).orElseThrow(
                        () -> new UnknownTopicOrPartitionException("The topic '" + name + "' does not exist."));
                return describer.topic(topic, image);
            }
            case BROKER -> {
                return BrokerResources.isClusterDefault(name, context.nodeId())
                        ? describer.clusterDefaults(image)
                        : describer.broker(image);
            }
            case BROKER_LOGGER -> {
                return loggers.describe(name);
            }
            default -> throw new InvalidRequestException("Unsupported resource type " + type + " for"
                    + " DescribeConfigs");
        }
    }

    private static DescribeConfigsResourceResult toResult(DescribedConfig config, boolean includeSynonyms,
            boolean includeDocumentation) {
        DescribeConfigsResourceResult result = new DescribeConfigsResourceResult()
                .setName(config.name())
                .setValue(config.value())
                .setReadOnly(config.readOnly())
                .setConfigSource(config.source().id())
                .setIsSensitive(config.sensitive())
                .setConfigType(ConfigTypes.of(config.type()).id())
                .setDocumentation(includeDocumentation ? config.documentation() : null);
        if (includeSynonyms) {
            for (DescribedConfig.Synonym synonym : config.synonyms()) {
                result.synonyms().add(new DescribeConfigsSynonym()
                        .setName(synonym.name())
                        .setValue(synonym.value())
                        .setSource(synonym.source().id()));
            }
        }
        return result;
    }
}
