package io.brook.broker.handlers.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingTopicReassignment;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ListPartitionReassignmentsRequest;
import org.apache.kafka.common.requests.ListPartitionReassignmentsResponse;

import io.brook.broker.BrokerContext;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.metadata.cluster.ClusterQueries;
import io.brook.metadata.cluster.MetadataCommand.TopicPartitionRef;

/**
 * ListPartitionReassignments (kafka-reassign-partitions --verify, kafka-topics --describe): the ongoing reassignments
 * of the named partitions, or of all, read from this node's metadata image; unknown partitions are left out, as Kafka
 * does. Answered inline.
 */
final class ListPartitionReassignmentsHandler implements ApiHandler<ListPartitionReassignmentsRequest> {

    private final BrokerContext context;

    ListPartitionReassignmentsHandler(BrokerContext context) {
        this.context = context;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext requestContext,
            ListPartitionReassignmentsRequest request) {
        List<TopicPartitionRef> wanted = null;
        if (request.data().topics() != null) {
            wanted = new ArrayList<>();
            for (ListPartitionReassignmentsTopics topic : request.data().topics()) {
                for (int p : topic.partitionIndexes()) {
                    wanted.add(new TopicPartitionRef(topic.name(), p));
                }
            }
        }
        Map<String, OngoingTopicReassignment> byTopic = new LinkedHashMap<>();
        for (ClusterQueries.OngoingReassignment r : ClusterQueries.listReassignments(context.metadata().image(),
                wanted)) {
            byTopic.computeIfAbsent(r.topic(), t -> new OngoingTopicReassignment().setName(t)).partitions()
                    .add(new OngoingPartitionReassignment().setPartitionIndex(r.partition())
                            .setReplicas(r.replicas()).setAddingReplicas(r.addingReplicas())
                            .setRemovingReplicas(r.removingReplicas()));
        }
        return CompletableFuture.completedFuture(new ListPartitionReassignmentsResponse(
                new ListPartitionReassignmentsResponseData().setErrorCode(Errors.NONE.code())
                        .setTopics(new ArrayList<>(byTopic.values()))));
    }
}
