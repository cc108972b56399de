package io.brook.broker.handlers.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.protocol.Errors;
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
 * storage (the partition's log checks the producer's sequences and epochs): pending offsets, commit and abort through
 * the registered {@link TransactionMarkerWriter}, and a restart in the middle of a transaction.
 */
@Timeout(60)
class TxnOffsetCommitBrokerTest {

    private static final String GROUP = "txn-group";
    private static final long PID = 4000;
    private static final short EPOCH = 0;

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
                await().atMost(Duration.ofSeconds(20)).until(() -> txnCommit(client, 5) == Errors.NONE);
                assertThat(fetch(client, true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
                assertThat(fetch(client, false).committedOffset()).isEqualTo(-1);
                // a second commit in the same transaction continues the producer's sequence in the log
                assertThat(txnCommit(client, 10)).isEqualTo(Errors.NONE);

                assertThat(marker(broker, TransactionResult.COMMIT)).isEqualTo(Errors.NONE);

                assertThat(fetch(client, true).errorCode()).isZero();
                assertThat(fetch(client, true).committedOffset()).isEqualTo(10);
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
                assertThat(txnCommit(client, 30)).isEqualTo(Errors.NONE);

                assertThat(marker(broker, TransactionResult.ABORT)).isEqualTo(Errors.NONE);

                assertThat(fetch(client, true).errorCode()).isZero();
                assertThat(fetch(client, true).committedOffset()).isEqualTo(10);
            }
        }
    }

    private static Errors marker(Broker broker, TransactionResult result) {
        TransactionMarkerWriter writer = broker.context().services().require(TransactionMarkerWriter.class,
                "the group family");
        TopicPartition partition = new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME,
                GroupCoordinator.partitionFor(GROUP, 3));
        assertThat(writer.handles(partition)).isTrue();
        return writer.writeMarker(partition, PID, EPOCH, 0, result).join();
    }

    private Errors txnCommit(RawKafkaClient client, long offset) throws Exception {
        return txnCommit(client, offset, "orders");
    }

    private Errors txnCommit(RawKafkaClient client, long offset, String topic) throws Exception {
        TxnOffsetCommitRequest request = TxnOffsetCommitRequest.Builder.forTopicNames(new TxnOffsetCommitRequestData()
                .setTransactionalId("tx").setGroupId(GROUP).setProducerId(PID).setProducerEpoch(EPOCH)
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
