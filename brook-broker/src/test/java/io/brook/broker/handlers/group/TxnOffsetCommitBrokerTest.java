package io.brook.broker.handlers.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.Broker;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.RawKafkaClient;
import io.brook.broker.txn.TransactionMarkerWriter;

/**
 * TxnOffsetCommit, OffsetFetch and the markers of {@code __consumer_offsets} against an in-process broker on real
 * storage (the partition's log checks the producer's sequences and epochs), with raw requests of the older
 * transaction protocol (InitProducerId, AddOffsetsToTxn, TxnOffsetCommit, EndTxn, whose markers reach the group
 * coordinator through WriteTxnMarkers and the registered {@link TransactionMarkerWriter}): pending offsets, commit,
 * abort, and a restart in the middle of a transaction.
 */
@Timeout(60)
class TxnOffsetCommitBrokerTest {

    private static final String GROUP = "txn-group";
    private static final String TXN_ID = "txn-offsets-test";

    private long producerId;
    private short producerEpoch;

    @TempDir
    Path dir;

    private final AtomicInteger correlation = new AtomicInteger();

    private Broker start() throws Exception {
        return Broker.start(BrokerConfig.parse(Map.of(BrokerConfig.LISTENERS, "PLAINTEXT://localhost:0",
                BrokerConfig.LOG_DIRS, dir.toString(), BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "3")));
    }

    @Test
    void shouldCommitAbortAndRecoverTransactionalOffsetsAcrossARestart() throws Exception {
        try (Broker broker = start()) {
            int port = broker.boundPort("PLAINTEXT");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", "localhost:" + port))) {
                admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all().get();
            }
            try (RawKafkaClient client = new RawKafkaClient(port)) {
                // as a client: FindCoordinator creates __transaction_state, then InitProducerId
                await().atMost(Duration.ofSeconds(30)).until(() -> findTransactionCoordinator(client),
                        Errors.NONE::equals);
                await().atMost(Duration.ofSeconds(30)).until(() -> initProducerId(client), Errors.NONE::equals);
                await().atMost(Duration.ofSeconds(30)).until(() -> addOffsetsToTxn(client), Errors.NONE::equals);
                assertThat(txnCommit(client, 5)).isEqualTo(Errors.NONE);
                assertThat(fetch(client, true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
                assertThat(fetch(client, false).committedOffset()).isEqualTo(-1);
                // a second commit in the same transaction continues the producer's sequence in the log
                assertThat(txnCommit(client, 10)).isEqualTo(Errors.NONE);

                assertThat(endTxn(client, true)).isEqualTo(Errors.NONE);

                await().atMost(Duration.ofSeconds(30)).until(() -> fetch(client, true).errorCode() == 0);
                assertThat(fetch(client, true).committedOffset()).isEqualTo(10);
                await().atMost(Duration.ofSeconds(30)).until(() -> addOffsetsToTxn(client), Errors.NONE::equals);
                assertThat(txnCommit(client, 20)).isEqualTo(Errors.NONE);
                assertThat(txnCommit(client, 99, "unknown-topic")).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }
        }
        try (Broker broker = start()) {
            try (RawKafkaClient client = new RawKafkaClient(broker.boundPort("PLAINTEXT"))) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> fetch(client, true).errorCode() != Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
                // the open transaction was replayed as pending, the committed offset as committed
                assertThat(fetch(client, true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
                assertThat(fetch(client, false).committedOffset()).isEqualTo(10);
                await().atMost(Duration.ofSeconds(30)).until(() -> txnCommit(client, 30) == Errors.NONE);

                await().atMost(Duration.ofSeconds(30)).until(() -> endTxn(client, false) == Errors.NONE);

                await().atMost(Duration.ofSeconds(30)).until(() -> fetch(client, true).errorCode() == 0);
                assertThat(fetch(client, true).committedOffset()).isEqualTo(10);
                // a marker from a coordinator epoch older than the last one the partition saw is fenced by its log
                assertThat(marker(broker, TransactionResult.COMMIT)).isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
                assertThat(fetch(client, true).committedOffset()).isEqualTo(10);
            }
        }
    }

    private Errors findTransactionCoordinator(RawKafkaClient client) throws Exception {
        FindCoordinatorRequest request = new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id())
                .setCoordinatorKeys(List.of(TXN_ID))).build((short) 4);
        FindCoordinatorResponse response = (FindCoordinatorResponse) client.receive(
                client.send(request, correlation.incrementAndGet()));
        return Errors.forCode(response.data().coordinators().get(0).errorCode());
    }

    private Errors initProducerId(RawKafkaClient client) throws Exception {
        InitProducerIdRequest request = new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                .setTransactionalId(TXN_ID).setTransactionTimeoutMs(600_000).setProducerId(-1)
                .setProducerEpoch((short) -1)).build((short) 4);
        InitProducerIdResponse response = (InitProducerIdResponse) client.receive(
                client.send(request, correlation.incrementAndGet()));
        producerId = response.data().producerId();
        producerEpoch = response.data().producerEpoch();
        return Errors.forCode(response.data().errorCode());
    }

    private Errors addOffsetsToTxn(RawKafkaClient client) throws Exception {
        AddOffsetsToTxnRequest request = new AddOffsetsToTxnRequest.Builder(new AddOffsetsToTxnRequestData()
                .setTransactionalId(TXN_ID).setProducerId(producerId).setProducerEpoch(producerEpoch)
                .setGroupId(GROUP)).build((short) 3);
        AddOffsetsToTxnResponse response = (AddOffsetsToTxnResponse) client.receive(
                client.send(request, correlation.incrementAndGet()));
        return Errors.forCode(response.data().errorCode());
    }

    private Errors endTxn(RawKafkaClient client, boolean commit) throws Exception {
        EndTxnRequest request = new EndTxnRequest.Builder(new EndTxnRequestData().setTransactionalId(TXN_ID)
                .setProducerId(producerId).setProducerEpoch(producerEpoch).setCommitted(commit), false)
                .build((short) 3);
        EndTxnResponse response = (EndTxnResponse) client.receive(client.send(request, correlation.incrementAndGet()));
        return Errors.forCode(response.data().errorCode());
    }

    private Errors marker(Broker broker, TransactionResult result) {
        TransactionMarkerWriter writer = broker.context().services().require(TransactionMarkerWriter.class,
                "the group family");
        TopicPartition partition = new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME,
                GroupCoordinator.partitionFor(GROUP, 3));
        assertThat(writer.handles(partition)).isTrue();
        return writer.writeMarker(partition, producerId, producerEpoch, 0, result).orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    private Errors txnCommit(RawKafkaClient client, long offset) throws Exception {
        return txnCommit(client, offset, "orders");
    }

    private Errors txnCommit(RawKafkaClient client, long offset, String topic) throws Exception {
        TxnOffsetCommitRequest request = TxnOffsetCommitRequest.Builder.forTopicNames(new TxnOffsetCommitRequestData()
                .setTransactionalId(TXN_ID).setGroupId(GROUP).setProducerId(producerId).setProducerEpoch(producerEpoch)
                .setTopics(List.of(new TxnOffsetCommitRequestTopic().setName(topic).setPartitions(List.of(
                        new TxnOffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(offset)
                                .setCommittedMetadata(""))))),
                false).build((short) 3);
        RequestHeader header = client.send(request, correlation.incrementAndGet());
        TxnOffsetCommitResponse response = (TxnOffsetCommitResponse) client.receive(header);
        return Errors.forCode(response.data().topics().get(0).partitions().get(0).errorCode());
    }

    private OffsetFetchResponsePartitions fetch(RawKafkaClient client, boolean requireStable) throws Exception {
        OffsetFetchRequest request = OffsetFetchRequest.Builder.forTopicNames(new OffsetFetchRequestData()
                .setRequireStable(requireStable).setGroups(List.of(new OffsetFetchRequestGroup().setGroupId(GROUP)
                        .setTopics(List.of(new OffsetFetchRequestTopics().setName("orders")
                                .setPartitionIndexes(List.of(0)))))),
                false).build((short) 8);
        RequestHeader header = client.send(request, correlation.incrementAndGet());
        OffsetFetchResponse response = (OffsetFetchResponse) client.receive(header);
        var group = response.data().groups().get(0);
        if (group.errorCode() != 0) {
            return new OffsetFetchResponsePartitions().setErrorCode(group.errorCode()).setCommittedOffset(-1);
        }
        return group.topics().get(0).partitions().get(0);
    }
}
