package io.brook.broker.handlers.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;
import org.apache.kafka.common.utils.Time;

import io.brook.broker.BrokerServices;
import io.brook.broker.api.ApiHandler;
import io.brook.broker.api.RequestContext;
import io.brook.broker.partition.LocalPartitions;
import io.brook.broker.replication.PartitionWriter;
import io.brook.broker.txn.TransactionMarkerWriter;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;

/**
 * WriteTxnMarkers v1..2 (sent by transaction coordinators, also to their own node): for every marker and partition,
 * writes the commit or abort control batch as the partition's leader and answers per partition once it is committed
 * (acks=all through the {@link PartitionWriter}, as coordinators write), or with the error that stopped it:
 * UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER, INVALID_PRODUCER_EPOCH (an older producer epoch than the
 * partition's), TRANSACTION_COORDINATOR_FENCED (an older coordinator epoch than the last marker's), NOT_ENOUGH_REPLICAS,
 * KAFKA_STORAGE_ERROR, REQUEST_TIMED_OUT...
 *
 * <p>Partitions a registered {@link TransactionMarkerWriter} {@code handles} ({@code __consumer_offsets}, whose
 * coordinator must apply the marker to its pending offsets) are delegated to it.
 *
 * <p>The appends are page-cache writes on the calling event loop, as for Produce; the answer completes later, on the
 * thread that sees the high watermark pass the markers. Thread-safe.
 */
final class WriteTxnMarkersHandler implements ApiHandler<WriteTxnMarkersRequest> {

    /** How long a marker may wait for the ISR: Kafka uses {@code request.timeout.ms}'s default for these appends. */
    static final long COMMIT_TIMEOUT_MS = 30_000L;

    private final MetadataStore metadata;
    private final LocalPartitions partitions;
    private final PartitionWriter writer;
    private final BrokerServices services;
    private final Time time;

    WriteTxnMarkersHandler(MetadataStore metadata, LocalPartitions partitions, PartitionWriter writer,
            BrokerServices services, Time time) {
        this.metadata = metadata;
        this.partitions = partitions;
        this.writer = writer;
        this.services = services;
        this.time = time;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.WRITE_TXN_MARKERS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, WriteTxnMarkersRequest request) {
        MetadataImage image = metadata.image();
        Optional<TransactionMarkerWriter> markerWriter = services.find(TransactionMarkerWriter.class);
        WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (WriteTxnMarkersRequestData.WritableTxnMarker marker : request.data().markers()) {
            WriteTxnMarkersResponseData.WritableTxnMarkerResult markerResult = new WriteTxnMarkersResponseData.WritableTxnMarkerResult()
                    .setProducerId(marker.producerId());
            response.markers().add(markerResult);
            TransactionResult result = TransactionResult.forId(marker.transactionResult());
            for (WriteTxnMarkersRequestData.WritableTxnMarkerTopic topic : marker.topics()) {
                WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult topicResult = new WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult()
                        .setName(topic.name());
                markerResult.topics().add(topicResult);
                for (int index : topic.partitionIndexes()) {
                    WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult partitionResult = new WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult()
                            .setPartitionIndex(index);
                    topicResult.partitions().add(partitionResult);
                    TopicPartition topicPartition = new TopicPartition(topic.name(), index);
                    CompletableFuture<Errors> written = markerWriter.filter(w -> w.handles(topicPartition))
                            .map(w -> w.writeMarker(topicPartition, marker.producerId(), marker.producerEpoch(),
                                    marker.coordinatorEpoch(), result))
                            .orElseGet(() -> append(image, topicPartition, marker, result));
                    pending.add(written
                            .exceptionally(error -> DataPathErrors.forException(error, "marker to " + topicPartition))
                            .thenAccept(error -> partitionResult.setErrorCode(error.code())));
                }
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> new WriteTxnMarkersResponse(response));
    }

    /** Appends the marker as leader and completes once the high watermark passed it. Never fails exceptionally. */
    private CompletableFuture<Errors> append(MetadataImage image, TopicPartition topicPartition,
            WriteTxnMarkersRequestData.WritableTxnMarker marker, TransactionResult result) {
        LocalPartitions.Lookup lookup = partitions.lookup(image, topicPartition.topic(), topicPartition.partition());
        if (!lookup.found()) {
            return CompletableFuture.completedFuture(lookup.error());
        }
        int leaderEpoch = lookup.partition().leaderEpoch();
        ControlRecordType type = result == TransactionResult.COMMIT
                ? ControlRecordType.COMMIT
                : ControlRecordType.ABORT;
        MemoryRecords records = MemoryRecords.withEndTransactionMarker(0L, time.milliseconds(), leaderEpoch,
                marker.producerId(), marker.producerEpoch(), new EndTransactionMarker(type, marker.coordinatorEpoch()));
        try {
            long end = writer.append(topicPartition, leaderEpoch, records);
            return writer.awaitCommitted(topicPartition, leaderEpoch, end, COMMIT_TIMEOUT_MS)
                    .handle((ignored, error) -> error == null
                            ? Errors.NONE
                            : DataPathErrors.forException(error, "commit of a marker to " + topicPartition));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(
                    DataPathErrors.forException(e, "append of a marker to " + topicPartition));
        }
    }
}
