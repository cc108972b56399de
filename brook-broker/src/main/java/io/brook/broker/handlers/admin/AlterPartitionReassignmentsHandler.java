package io.brook.broker.handlers.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsRequest;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsResponse;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.cluster.CommandReply;
import io.brook.metadata.cluster.MetadataCommand;
import io.brook.metadata.cluster.MetadataRequests;

/**
 * AlterPartitionReassignments (kafka-reassign-partitions --execute / --cancel): starts or cancels reassignments through
 * the controller; per-partition errors as Kafka's. With {@code allowReplicationFactorChange=false} (v1) a target whose
 * size differs from the partition's replica count is refused with INVALID_REPLICATION_FACTOR here, before the command.
 * Never blocks the event loop.
 */
final class AlterPartitionReassignmentsHandler implements ApiHandler<AlterPartitionReassignmentsRequest> {

    private final BrokerContext context;

    AlterPartitionReassignmentsHandler(BrokerContext context) {
        this.context = context;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext requestContext,
            AlterPartitionReassignmentsRequest request) {
        boolean allowRfChange = request.version() < 1 || request.data().allowReplicationFactorChange();
        MetadataImage image = context.metadata().image();
        Map<String, ReassignableTopicResponse> responses = new LinkedHashMap<>();
        List<MetadataCommand.Reassignment> reassignments = new ArrayList<>();
        for (ReassignableTopic topic : request.data().topics()) {
            ReassignableTopicResponse response = responses.computeIfAbsent(topic.name(),
                    n -> new ReassignableTopicResponse().setName(n));
            for (ReassignablePartition partition : topic.partitions()) {
                if (!allowRfChange && partition.replicas() != null
                        && changesReplicationFactor(image, topic.name(), partition)) {
                    response.partitions().add(new ReassignablePartitionResponse()
                            .setPartitionIndex(partition.partitionIndex())
                            .setErrorCode(Errors.INVALID_REPLICATION_FACTOR.code())
                            .setErrorMessage("The replication factor is changed from the current one"
                                    + " but allowReplicationFactorChange is false."));
                    continue;
                }
                reassignments.add(new MetadataCommand.Reassignment(topic.name(), partition.partitionIndex(),
                        partition.replicas()));
            }
        }
        boolean wantsRfFlag = request.version() >= 1;
        CompletableFuture<CommandReply> submitted = reassignments.isEmpty()
                ? CompletableFuture.completedFuture(new CommandReply.PartitionResults(List.of()))
                : context.metadata().submit(new MetadataCommand.AlterPartitionReassignments(reassignments));
        return submitted.handle((reply, error) -> {
            if (error != null) {
                throw QuorumReplies.translate(error);
            }
            for (CommandReply.PartitionResult result : MetadataRequests
                    .orThrow(reply, CommandReply.PartitionResults.class).partitions()) {
                responses.computeIfAbsent(result.topic(), n -> new ReassignableTopicResponse().setName(n))
                        .partitions().add(new ReassignablePartitionResponse()
                                .setPartitionIndex(result.partition())
                                .setErrorCode(result.errorCode())
                                .setErrorMessage(result.errorCode() == Errors.NONE.code() ? null : result.message()));
            }
            AlterPartitionReassignmentsResponseData data = new AlterPartitionReassignmentsResponseData()
                    .setErrorCode(Errors.NONE.code()).setResponses(new ArrayList<>(responses.values()));
            if (wantsRfFlag) {
                data.setAllowReplicationFactorChange(allowRfChange);
            }
            return new AlterPartitionReassignmentsResponse(data);
        });
    }

    private static boolean changesReplicationFactor(MetadataImage image, String topic,
            ReassignablePartition partition) {
        return image.topic(topic).flatMap(t -> t.partition(partition.partitionIndex()))
                .map(p -> originalSize(p) != partition.replicas().size()).orElse(false);
    }

    /** Replicas before any ongoing reassignment: the current ones minus those being added. */
    private static int originalSize(PartitionRegistration p) {
        return (int) p.replicas().stream().filter(r -> !p.addingReplicas().contains(r)).count();
    }
}
