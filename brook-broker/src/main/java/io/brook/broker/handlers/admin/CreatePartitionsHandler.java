package io.brook.broker.handlers.admin;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsResponse;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.metadata.TopicImage;

/**
 * CreatePartitions: raises a topic's partition count (never lowers it). An explicit assignment must give one replica
 * list per new partition, each naming only this node. Runs on the admin thread.
 */
final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequest> {

    private final BrokerContext context;
    private final AdminExecutor executor;

    CreatePartitionsHandler(BrokerContext context, AdminExecutor executor) {
        this.context = context;
        this.executor = executor;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext requestContext,
            CreatePartitionsRequest request) {
        return executor.submit(() -> new CreatePartitionsResponse(createAll(request)));
    }

    private CreatePartitionsResponseData createAll(CreatePartitionsRequest request) {
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreatePartitionsTopic topic : request.data().topics()) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        boolean tooLarge = MetadataBatchLimit.exceeded(partitionsToAdd(request));
        Set<String> answered = new HashSet<>();
        for (CreatePartitionsTopic topic : request.data().topics()) {
            if (!answered.add(topic.name())) {
                continue;
            }
            CreatePartitionsTopicResult result = new CreatePartitionsTopicResult().setName(topic.name());
            try {
                if (tooLarge) {
                    throw MetadataBatchLimit.TOO_LARGE.exception();
                }
                if (duplicates.contains(topic.name())) {
                    throw new InvalidRequestException("Duplicate topic in request.");
                }
                TopicImage current = context.metadata().image().topic(topic.name()).orElseThrow(
                        () -> new UnknownTopicOrPartitionException("The topic '" + topic.name()
                                + "' does not exist."));
                if (topic.assignments() != null && !topic.assignments().isEmpty()
                        && topic.count() > current.partitionCount()) {
                    checkAssignments(topic, current);
                }
                context.metadata().createPartitions(topic.name(), topic.count(), request.data().validateOnly());
                result.setErrorCode(Errors.NONE.code());
            } catch (RuntimeException e) {
                ApiError error = ApiError.fromThrowable(e);
                result.setErrorCode(error.error().code()).setErrorMessage(error.message());
            }
            response.results().add(result);
        }
        return response;
    }

    /** One metadata record per partition added to an existing topic. */
    private long partitionsToAdd(CreatePartitionsRequest request) {
        long added = 0;
        for (CreatePartitionsTopic topic : request.data().topics()) {
            var current = context.metadata().image().topic(topic.name());
            if (current.isPresent()) {
                added += Math.max(0, topic.count() - current.get().partitionCount());
            }
        }
        return added;
    }

    private void checkAssignments(CreatePartitionsTopic topic, TopicImage current) {
        int added = topic.count() - current.partitionCount();
        if (topic.assignments().size() != added) {
            throw new InvalidReplicaAssignmentException("Attempted to add " + added + " additional partition(s),"
                    + " but only " + topic.assignments().size() + " assignment(s) were specified.");
        }
        for (CreatePartitionsAssignment assignment : topic.assignments()) {
            if (assignment.brokerIds().size() != current.replicationFactor()) {
                throw new InvalidReplicaAssignmentException("The manual partition assignment includes a partition"
                        + " with " + assignment.brokerIds().size() + " replica(s), but this is not consistent with"
                        + " the topic's replication factor of " + current.replicationFactor() + ".");
            }
            for (int brokerId : assignment.brokerIds()) {
                if (brokerId != context.nodeId()) {
                    throw new InvalidReplicaAssignmentException("The manual partition assignment includes broker "
                            + brokerId + ", but no such broker is registered.");
                }
            }
        }
    }
}
