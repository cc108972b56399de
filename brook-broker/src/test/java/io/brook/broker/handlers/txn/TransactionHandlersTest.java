package io.brook.broker.handlers.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ListTransactionsRequest;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.Broker;
import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.RawKafkaClient;

/** The transaction APIs at every advertised version, with a raw client against an in-process broker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransactionHandlersTest {

    @TempDir
    Path dir;

    private Broker broker;
    private RawKafkaClient client;
    private final AtomicInteger correlation = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        broker = Broker.start(BrokerConfig.parse(Map.of(BrokerConfig.LISTENERS, "PLAINTEXT://localhost:0",
                BrokerConfig.LOG_DIRS, dir.toString(), BrokerConfig.TRANSACTION_STATE_LOG_NUM_PARTITIONS, "2",
                BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "2", BrokerConfig.TRANSACTION_MAX_TIMEOUT_MS, "60000")));
        int port = broker.boundPort("PLAINTEXT");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "localhost:" + port))) {
            admin.createTopics(List.of(new NewTopic("t", 2, (short) 1))).all().get();
        }
        client = new RawKafkaClient(port);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        broker.close();
    }

    private AbstractResponse call(AbstractRequest request) throws Exception {
        RequestHeader header = client.send(request, correlation.incrementAndGet());
        return client.receive(header);
    }

    private InitProducerIdResponseData init(String id, int timeoutMs, short version) throws Exception {
        InitProducerIdResponseData[] last = new InitProducerIdResponseData[1];
        // FindCoordinator creates __transaction_state, as a client's lookup does; retriable answers until loaded.
        call(new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData().setKeyType((byte) 1)
                .setCoordinatorKeys(List.of(id))).build(ApiKeys.FIND_COORDINATOR.latestVersion()));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            last[0] = ((InitProducerIdResponse) call(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                    .setTransactionalId(id).setTransactionTimeoutMs(timeoutMs)).build(version))).data();
            Errors error = Errors.forCode(last[0].errorCode());
            return error != Errors.COORDINATOR_NOT_AVAILABLE && error != Errors.COORDINATOR_LOAD_IN_PROGRESS;
        });
        return last[0];
    }

    @Test
    void shouldFindTheTransactionCoordinatorAtEveryVersion() throws Exception {
        // Key types exist from v1.
        for (short v = 1; v <= ApiKeys.FIND_COORDINATOR.latestVersion(); v++) {
            FindCoordinatorRequestData data = new FindCoordinatorRequestData().setKeyType((byte) 1);
            if (v >= 4) {
                data.setCoordinatorKeys(List.of("a", "b"));
            } else {
                data.setKey("a");
            }
            short version = v;
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                FindCoordinatorResponseData r = ((FindCoordinatorResponse) call(
                        new FindCoordinatorRequest.Builder(data).build(version))).data();
                if (version >= 4) {
                    assertThat(r.coordinators()).extracting(c -> c.errorCode()).containsOnly((short) 0);
                    assertThat(r.coordinators()).extracting(c -> c.nodeId()).containsOnly(1);
                } else {
                    assertThat(r.errorCode()).isZero();
                    assertThat(r.port()).isEqualTo(broker.boundPort("PLAINTEXT"));
                }
            });
        }
    }

    @Test
    void shouldRunATransactionAtEveryClientVersion() throws Exception {
        for (short v = 0; v <= 3; v++) {
            String id = "tx-v" + v;
            InitProducerIdResponseData producer = init(id, 10_000, (short) Math.min(v + 2, 5));
            assertThat(producer.errorCode()).isZero();
            long pid = producer.producerId();
            short epoch = producer.producerEpoch();

            AddPartitionsToTxnResponse added = (AddPartitionsToTxnResponse) call(AddPartitionsToTxnRequest.Builder
                    .forClient(id, pid, epoch, List.of(new TopicPartition("t", 0), new TopicPartition("t", 1)))
                    .build(v));
            assertThat(added.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID).values())
                    .containsOnly(Errors.NONE);
            AddOffsetsToTxnResponse offsets = (AddOffsetsToTxnResponse) call(new AddOffsetsToTxnRequest.Builder(
                    new AddOffsetsToTxnRequestData().setTransactionalId(id).setProducerId(pid)
                            .setProducerEpoch(epoch).setGroupId("g"))
                    .build(v));
            assertThat(offsets.data().errorCode()).isZero();

            EndTxnResponse ended = (EndTxnResponse) call(new EndTxnRequest.Builder(new EndTxnRequestData()
                    .setTransactionalId(id).setProducerId(pid).setProducerEpoch(epoch).setCommitted(v % 2 == 0),
                    false).build(v));
            assertThat(ended.data().errorCode()).isZero();
            DescribeTransactionsResponseData.TransactionState described = ((DescribeTransactionsResponse) call(
                    new DescribeTransactionsRequest.Builder(new DescribeTransactionsRequestData()
                            .setTransactionalIds(List.of(id))).build((short) 0)))
                    .data().transactionStates().get(0);
            assertThat(described.transactionState()).isIn("PrepareCommit", "CompleteCommit", "PrepareAbort",
                    "CompleteAbort");
            assertThat(described.producerId()).isEqualTo(pid);
        }
    }

    @Test
    void shouldAnswerKafkasErrorsForBadRequests() throws Exception {
        InitProducerIdResponseData producer = init("tx-errors", 10_000, (short) 4);
        long pid = producer.producerId();
        short epoch = producer.producerEpoch();

        assertThat(init("tx-errors", 60_001, (short) 4).errorCode())
                .isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT.code());
        AddPartitionsToTxnResponse unknownTopic = (AddPartitionsToTxnResponse) call(AddPartitionsToTxnRequest.Builder
                .forClient("tx-errors", pid, epoch, List.of(new TopicPartition("t", 0),
                        new TopicPartition("missing", 0)))
                .build((short) 3));
        assertThat(unknownTopic.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(new TopicPartition("t", 0), Errors.OPERATION_NOT_ATTEMPTED,
                                new TopicPartition("missing", 0), Errors.UNKNOWN_TOPIC_OR_PARTITION));
        AddPartitionsToTxnResponse wrongId = (AddPartitionsToTxnResponse) call(AddPartitionsToTxnRequest.Builder
                .forClient("tx-errors", pid + 100, epoch, List.of(new TopicPartition("t", 0))).build((short) 3));
        assertThat(wrongId.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID).values())
                .containsOnly(Errors.INVALID_PRODUCER_ID_MAPPING);
        EndTxnResponse noTransaction = (EndTxnResponse) call(new EndTxnRequest.Builder(new EndTxnRequestData()
                .setTransactionalId("tx-errors").setProducerId(pid).setProducerEpoch(epoch).setCommitted(true), false)
                .build((short) 3));
        assertThat(noTransaction.data().errorCode()).isEqualTo(Errors.INVALID_TXN_STATE.code());
        DescribeTransactionsResponseData.TransactionState unknown = ((DescribeTransactionsResponse) call(
                new DescribeTransactionsRequest.Builder(new DescribeTransactionsRequestData()
                        .setTransactionalIds(List.of("nobody"))).build((short) 0)))
                .data().transactionStates().get(0);
        assertThat(unknown.errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
    }

    @Test
    void shouldVerifyPartitionsInTheBrokerFormAndFilterListings() throws Exception {
        InitProducerIdResponseData producer = init("tx-verify", 10_000, (short) 4);
        long pid = producer.producerId();
        short epoch = producer.producerEpoch();
        call(AddPartitionsToTxnRequest.Builder.forClient("tx-verify", pid, epoch,
                List.of(new TopicPartition("t", 0))).build((short) 3));

        for (short v = 4; v <= ApiKeys.ADD_PARTITIONS_TO_TXN.latestVersion(); v++) {
            AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
            topics.add(new AddPartitionsToTxnTopic().setName("t").setPartitions(List.of(0, 1)));
            AddPartitionsToTxnTransactionCollection transactions = new AddPartitionsToTxnTransactionCollection();
            transactions.add(new AddPartitionsToTxnTransaction().setTransactionalId("tx-verify").setProducerId(pid)
                    .setProducerEpoch(epoch).setVerifyOnly(true).setTopics(topics));
            AddPartitionsToTxnResponse verified = (AddPartitionsToTxnResponse) call(
                    AddPartitionsToTxnRequest.Builder.forBroker(transactions).build(v));
            assertThat(verified.errors().get("tx-verify")).containsExactlyInAnyOrderEntriesOf(Map.of(
                    new TopicPartition("t", 0), Errors.NONE, new TopicPartition("t", 1), Errors.INVALID_TXN_STATE));
        }

        for (short v = 0; v <= ApiKeys.LIST_TRANSACTIONS.latestVersion(); v++) {
            ListTransactionsRequestData request = new ListTransactionsRequestData()
                    .setStateFilters(List.of("Ongoing", "NoSuchState")).setProducerIdFilters(List.of(pid));
            ListTransactionsResponseData listed = ((ListTransactionsResponse) call(
                    new ListTransactionsRequest.Builder(request).build(v))).data();
            assertThat(listed.errorCode()).isZero();
            assertThat(listed.unknownStateFilters()).containsExactly("NoSuchState");
            assertThat(listed.transactionStates()).extracting(s -> s.transactionalId()).containsExactly("tx-verify");
        }
        ListTransactionsResponseData empty = ((ListTransactionsResponse) call(new ListTransactionsRequest.Builder(
                new ListTransactionsRequestData().setStateFilters(List.of("CompleteCommit"))).build((short) 1)))
                .data();
        assertThat(empty.transactionStates()).isEmpty();
    }

    @Test
    void shouldAnswerTheBumpedEpochAtEndTxnVersion5() throws Exception {
        InitProducerIdResponseData producer = init("tx-v2", 10_000, (short) 5);
        long pid = producer.producerId();
        short epoch = producer.producerEpoch();
        call(AddPartitionsToTxnRequest.Builder.forClient("tx-v2", pid, epoch, List.of(new TopicPartition("t", 0)))
                .build((short) 3));

        EndTxnResponse ended = (EndTxnResponse) call(new EndTxnRequest.Builder(new EndTxnRequestData()
                .setTransactionalId("tx-v2").setProducerId(pid).setProducerEpoch(epoch).setCommitted(true), true)
                .build((short) 5));

        assertThat(ended.data().errorCode()).isZero();
        assertThat(ended.data().producerId()).isEqualTo(pid);
        assertThat(ended.data().producerEpoch()).isEqualTo((short) (epoch + 1));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(((DescribeTransactionsResponse) call(
                        new DescribeTransactionsRequest.Builder(new DescribeTransactionsRequestData()
                                .setTransactionalIds(List.of("tx-v2"))).build((short) 0)))
                        .data().transactionStates().get(0)
                        .transactionState()).isEqualTo("CompleteCommit"));
    }
}
