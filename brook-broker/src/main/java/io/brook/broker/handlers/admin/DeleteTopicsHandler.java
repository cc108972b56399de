package io.brook.broker.handlers.admin;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TopicDeletionDisabledException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.config.BrokerConfig;
import io.brook.metadata.TopicImage;

/**
 * DeleteTopics by name (every version) or by id (v6+). Refused as a whole when {@code delete.topic.enable=false}.
 * Runs on the admin thread. Removing the partitions' logs is up to whoever follows metadata changes.
 */
final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequest> {

    private final BrokerContext context;
    private final AdminExecutor executor;

    DeleteTopicsHandler(BrokerContext context, AdminExecutor executor) {
        this.context = context;
        this.executor = executor;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_TOPICS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext requestContext, DeleteTopicsRequest request) {
        return executor.submit(() -> new DeleteTopicsResponse(deleteAll(request)));
    }

    private DeleteTopicsResponseData deleteAll(DeleteTopicsRequest request) {
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        boolean enabled = context.config().getBoolean(BrokerConfig.DELETE_TOPIC_ENABLE);
        Set<String> names = new HashSet<>();
        Set<Uuid> ids = new HashSet<>();
        for (DeleteTopicState topic : request.topics()) {
            boolean byId = topic.topicId() != null && !topic.topicId().equals(Uuid.ZERO_UUID);
            DeletableTopicResult result = new DeletableTopicResult()
                    .setName(byId ? null : topic.name())
                    .setTopicId(byId ? topic.topicId() : Uuid.ZERO_UUID);
            try {
                if (byId && topic.name() != null) {
                    throw new InvalidRequestException("Cannot specify both a topic name and a topic id.");
                }
                if (byId ? !ids.add(topic.topicId()) : !names.add(topic.name())) {
                    throw new InvalidRequestException("Duplicate topic in the request.");
                }
                if (!enabled) {
                    throw new TopicDeletionDisabledException("Topic deletion is disabled.");
                }
                TopicImage image = byId
                        ? context.metadata().image().topic(topic.topicId()).orElseThrow(
                                () -> new UnknownTopicIdException("Topic id " + topic.topicId() + " does not exist."))
                        : context.metadata().image().topic(topic.name()).orElseThrow(
                                () -> new UnknownTopicOrPartitionException("Topic '" + topic.name()
                                        + "' does not exist."));
                context.metadata().deleteTopic(image.id());
                result.setName(image.name()).setTopicId(image.id()).setErrorCode(Errors.NONE.code());
            } catch (RuntimeException e) {
                ApiError error = ApiError.fromThrowable(e);
                result.setErrorCode(error.error().code()).setErrorMessage(error.message());
            }
            response.responses().add(result);
        }
        return response;
    }
}
