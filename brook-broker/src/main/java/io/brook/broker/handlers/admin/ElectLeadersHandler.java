package io.brook.broker.handlers.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitions;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ElectLeadersRequest;
import org.apache.kafka.common.requests.ElectLeadersResponse;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.metadata.cluster.CommandReply;
import io.brook.metadata.cluster.MetadataCommand;
import io.brook.metadata.cluster.MetadataCommand.TopicPartitionRef;
import io.brook.metadata.cluster.MetadataRequests;

/**
 * ElectLeaders (kafka-leader-election): preferred or unclean election for the named partitions, or every partition
 * when none are named, through the controller. Per-partition outcomes as Kafka's controller answers them
 * (ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE, ELIGIBLE_LEADERS_NOT_AVAILABLE, UNKNOWN_TOPIC_OR_PARTITION).
 * Never blocks the event loop: the response completes when the command is applied.
 */
final class ElectLeadersHandler implements ApiHandler<ElectLeadersRequest> {

    private final BrokerContext context;

    ElectLeadersHandler(BrokerContext context) {
        this.context = context;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ELECT_LEADERS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext requestContext, ElectLeadersRequest request) {
        ElectionType type = request.version() == 0
                ? ElectionType.PREFERRED
                : request.data().electionType() == 1
                        ? ElectionType.UNCLEAN
                        : ElectionType.PREFERRED;
        List<TopicPartitionRef> partitions = null;
        if (request.data().topicPartitions() != null) {
            partitions = new ArrayList<>();
            for (TopicPartitions topic : request.data().topicPartitions()) {
                for (int p : topic.partitions()) {
                    partitions.add(new TopicPartitionRef(topic.topic(), p));
                }
            }
        }
        MetadataCommand command = new MetadataCommand.ElectLeaders(type == ElectionType.UNCLEAN
                ? MetadataCommand.ElectionType.UNCLEAN
                : MetadataCommand.ElectionType.PREFERRED, partitions);
        short version = request.version();
        return context.metadata().submit(command).handle((reply, error) -> {
            if (error != null) {
                throw QuorumReplies.translate(error);
            }
            CommandReply.PartitionResults results = MetadataRequests.orThrow(reply,
                    CommandReply.PartitionResults.class);
            return new ElectLeadersResponse(response(results, version));
        });
    }

    private static ElectLeadersResponseData response(CommandReply.PartitionResults results, short version) {
        Map<String, ReplicaElectionResult> byTopic = new LinkedHashMap<>();
        for (CommandReply.PartitionResult result : results.partitions()) {
            byTopic.computeIfAbsent(result.topic(), t -> new ReplicaElectionResult().setTopic(t)).partitionResult()
                    .add(new PartitionResult().setPartitionId(result.partition()).setErrorCode(result.errorCode())
                            .setErrorMessage(result.errorCode() == Errors.NONE.code() ? null : result.message()));
        }
        ElectLeadersResponseData data = new ElectLeadersResponseData()
                .setReplicaElectionResults(new ArrayList<>(byTopic.values()));
        if (version >= 1) {
            data.setErrorCode(Errors.NONE.code());
        }
        return data;
    }
}
