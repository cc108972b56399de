package io.brook.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.config.BrokerConfig;
import io.brook.broker.testing.RawKafkaClient;
import io.brook.broker.testing.TestCluster;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.cluster.MetadataCommand;
import io.brook.storage.PartitionLog;

/**
 * Replication between real brokers in one JVM (real storage, real sockets, the Java clients), over a shared metadata
 * double that applies AlterPartition with the real state machine logic.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplicationClusterTest {

    private static final String TOPIC = "replicated";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private TestCluster cluster;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private TestCluster start(int size, long lagMs) throws Exception {
        cluster = TestCluster.start(dir, size, Map.of(
                BrokerConfig.REPLICA_LAG_TIME_MAX_MS, Long.toString(lagMs),
                BrokerConfig.REPLICA_FETCH_WAIT_MAX_MS, "100",
                BrokerConfig.REPLICA_FETCH_BACKOFF_MS, "100"));
        return cluster;
    }

    @Test
    void shouldReplicateToEveryFollowerAndExposeRecordsOnceTheIsrHasThem() throws Exception {
        // given a partition on brokers 1, 2 and 3, led by 1
        start(3, 30_000);
        cluster.createTopic(TOPIC, Map.of(0, List.of(1, 2, 3)), Map.of("min.insync.replicas", "2"));

        // when an idempotent acks=all producer writes 200 records
        KafkaProducer<String, String> producer = producer(cluster.bootstrap(1), true);
        for (int i = 0; i < 200; i++) {
            producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "v" + i));
        }
        producer.flush();

        // then every acknowledged record is on both followers, byte-identical offsets, and the HW covers them
        await().atMost(WAIT).untilAsserted(() -> {
            for (int id = 1; id <= 3; id++) {
                assertThat(cluster.log(id, TP).logEndOffset()).as("LEO of %d", id).isEqualTo(200);
                assertThat(cluster.log(id, TP).highWatermark()).as("HW of %d", id).isEqualTo(200);
            }
        });
        assertThat(cluster.metadata().partition(TOPIC, 0).isr()).containsExactlyInAnyOrder(1, 2, 3);
        List<ConsumerRecord<String, String>> read = consume(cluster.bootstrap(1, 2, 3), 200);
        assertThat(read).extracting(ConsumerRecord::value).startsWith("v0", "v1").endsWith("v199");
        assertThat(read).extracting(ConsumerRecord::offset).doesNotHaveDuplicates();
    }

    @Test
    void shouldKeepTheHighWatermarkBelowRecordsAFollowerDoesNotHave() throws Exception {
        // given two replicas in sync, then the follower stops
        start(2, 30_000);
        cluster.createTopic(TOPIC, Map.of(0, List.of(1, 2)), Map.of());
        KafkaProducer<String, String> producer = producer(cluster.bootstrap(1), true);
        producer.send(new ProducerRecord<>(TOPIC, 0, "k", "before")).get(30, TimeUnit.SECONDS);
        cluster.stopBroker(2);

        // when acks=1 records are appended to the leader
        KafkaProducer<String, String> acksOne = producer(cluster.bootstrap(1), false);
        for (int i = 0; i < 5; i++) {
            acksOne.send(new ProducerRecord<>(TOPIC, 0, "k", "after" + i)).get(30, TimeUnit.SECONDS);
        }

        // then the leader has them but does not expose them: the follower (still in the ISR) does not have them
        PartitionLog leader = cluster.log(1, TP);
        assertThat(leader.logEndOffset()).isEqualTo(6);
        assertThat(leader.highWatermark()).isEqualTo(1);
        assertThat(consume(cluster.bootstrap(1), 1)).extracting(ConsumerRecord::value).containsExactly("before");
    }

    @Test
    void shouldShrinkTheIsrAndRefuseAcksAllBelowMinInsyncReplicasThenExpandWhenTheFollowerCatchesUp()
            throws Exception {
        // given two replicas with min.insync.replicas=2 and a short lag limit
        start(2, 1_000);
        cluster.createTopic(TOPIC, Map.of(0, List.of(1, 2)), Map.of("min.insync.replicas", "2"));
        KafkaProducer<String, String> producer = producer(cluster.bootstrap(1), true);
        producer.send(new ProducerRecord<>(TOPIC, 0, "k", "v0")).get(30, TimeUnit.SECONDS);

        // when the follower stops and the leader's log moves on without it (a follower with the whole log stays in
        // sync however long it is silent: Kafka leaves dead brokers to the controller's fencing)
        cluster.stopBroker(2);
        producer(cluster.bootstrap(1), false).send(new ProducerRecord<>(TOPIC, 0, "k", "acks1"))
                .get(30, TimeUnit.SECONDS);
        // then the leader drops it from the ISR through AlterPartition
        await().atMost(WAIT).until(() -> cluster.metadata().partition(TOPIC, 0).isr().equals(List.of(1)));
        assertThat(cluster.metadata().commands()).anyMatch(c -> c instanceof MetadataCommand.AlterPartition);

        // and acks=all is refused with NOT_ENOUGH_REPLICAS
        KafkaProducer<String, String> noRetries = producer(cluster.bootstrap(1), false, Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.RETRIES_CONFIG, "0"));
        assertThatThrownBy(() -> noRetries.send(new ProducerRecord<>(TOPIC, 0, "k", "refused"))
                .get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(NotEnoughReplicasException.class);

        // and when the follower returns it catches up and is added back
        cluster.startBroker(2);
        await().atMost(WAIT).until(() -> cluster.metadata().partition(TOPIC, 0).isr().size() == 2);
        producer.send(new ProducerRecord<>(TOPIC, 0, "k", "v1")).get(30, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> cluster.log(2, TP).logEndOffset() == cluster.log(1, TP).logEndOffset());
    }

    @Test
    void shouldTruncateTheOldLeadersUnreplicatedTailAfterALeaderChangeAndLetConsumersContinue() throws Exception {
        // given 10 records replicated to both replicas, read by a consumer
        start(2, 30_000);
        cluster.createTopic(TOPIC, Map.of(0, List.of(1, 2)), Map.of());
        KafkaProducer<String, String> producer = producer(cluster.bootstrap(1), true);
        for (int i = 0; i < 10; i++) {
            producer.send(new ProducerRecord<>(TOPIC, 0, "k", "v" + i));
        }
        producer.flush();
        await().atMost(WAIT).until(() -> cluster.log(2, TP).highWatermark() == 10);
        KafkaConsumer<String, String> consumer = consumer(cluster.bootstrap(1, 2));
        List<ConsumerRecord<String, String>> seen = pollUntil(consumer, 10);

        // and a tail of 5 acks=1 records only the leader has
        cluster.stopBroker(2);
        KafkaProducer<String, String> acksOne = producer(cluster.bootstrap(1), false);
        for (int i = 0; i < 5; i++) {
            acksOne.send(new ProducerRecord<>(TOPIC, 0, "k", "lost" + i)).get(30, TimeUnit.SECONDS);
        }
        assertThat(cluster.log(1, TP).logEndOffset()).isEqualTo(15);

        // when broker 2 becomes leader at epoch 1 (the controller's decision) and comes back
        cluster.metadata().setPartition(TOPIC, 0, r -> new PartitionRegistration(r.replicas(), List.of(2),
                List.of(), List.of(), 2, r.leaderEpoch() + 1, r.partitionEpoch() + 1));
        cluster.startBroker(2);
        KafkaProducer<String, String> newProducer = producer(cluster.bootstrap(2), true);
        for (int i = 10; i < 13; i++) {
            newProducer.send(new ProducerRecord<>(TOPIC, 0, "k", "v" + i)).get(30, TimeUnit.SECONDS);
        }

        // then the old leader truncates its tail and replicates the new leader's records
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(cluster.log(1, TP).logEndOffset()).isEqualTo(13);
            assertThat(cluster.log(1, TP).latestEpoch()).hasValue(1);
        });
        // and the consumer continues after the leader change without seeing the lost tail
        seen.addAll(pollUntil(consumer, 3));
        assertThat(seen).extracting(ConsumerRecord::value)
                .containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12");
        await().atMost(WAIT).until(() -> cluster.metadata().partition(TOPIC, 0).isr().size() == 2);

        // and the old leader refuses produces, naming the new leader and its endpoint (KIP-951)
        ProduceResponse refused = rawProduce(1, (short) 1, 30_000);
        ProduceResponseData.PartitionProduceResponse partition = refused.data().responses().iterator().next()
                .partitionResponses().get(0);
        assertThat(partition.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
        assertThat(partition.currentLeader().leaderId()).isEqualTo(2);
        assertThat(partition.currentLeader().leaderEpoch()).isEqualTo(1);
        assertThat(refused.data().nodeEndpoints()).extracting(ProduceResponseData.NodeEndpoint::port)
                .containsExactly(cluster.broker(2).boundPort("PLAINTEXT"));
    }

    /** A Produce v12 of one record to partition 0, sent to broker {@code id} with a raw client. */
    private ProduceResponse rawProduce(int id, short acks, int timeoutMs) throws Exception {
        ProduceRequestData data = new ProduceRequestData().setAcks(acks).setTimeoutMs(timeoutMs);
        data.topicData().add(new ProduceRequestData.TopicProduceData().setName(TOPIC)
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                        .setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("x".getBytes()))))));
        try (RawKafkaClient client = new RawKafkaClient(cluster.broker(id).boundPort("PLAINTEXT"))) {
            ProduceRequest request = ProduceRequest.builder(data).build((short) 12);
            return (ProduceResponse) client.receive(client.send(request, 1));
        }
    }

    @Test
    void shouldAnswerAcksAllWithRequestTimedOutWhenTheIsrDoesNotReplicateWithinTheRequestTimeout()
            throws Exception {
        // given a follower that is down but still in the ISR (long lag limit)
        start(2, 30_000);
        cluster.createTopic(TOPIC, Map.of(0, List.of(1, 2)), Map.of());
        cluster.stopBroker(2);

        // when an acks=all produce with a 300 ms timeout arrives
        ProduceResponse response = rawProduce(1, (short) -1, 300);

        // then the partition answers REQUEST_TIMED_OUT, and the record stays invisible to consumers
        assertThat(response.data().responses().iterator().next().partitionResponses().get(0).errorCode())
                .isEqualTo(Errors.REQUEST_TIMED_OUT.code());
        assertThat(cluster.log(1, TP).logEndOffset()).isEqualTo(1);
        assertThat(cluster.log(1, TP).highWatermark()).isZero();
    }

    @Test
    void shouldMoveTheGroupCoordinatorWithTheLeadershipOfItsOffsetsPartition() throws Exception {
        // given __consumer_offsets replicated on brokers 1 and 2, led by 1, and a topic to commit offsets of
        start(2, 30_000);
        TopicPartition offsets = new TopicPartition("__consumer_offsets", 0);
        cluster.createTopic(offsets.topic(), Map.of(0, List.of(1, 2)), Map.of("cleanup.policy", "compact"));
        cluster.createTopic(TOPIC, Map.of(0, List.of(1, 2)), Map.of());

        // when a group commits an offset on broker 1 and it is replicated
        try (KafkaConsumer<String, String> first = groupConsumer(cluster.bootstrap(1))) {
            first.commitSync(Map.of(TP, new org.apache.kafka.clients.consumer.OffsetAndMetadata(42)));
        }
        await().atMost(WAIT).until(() -> cluster.log(2, offsets).logEndOffset() > 0
                && cluster.log(2, offsets).logEndOffset() == cluster.log(1, offsets).logEndOffset());
        // and broker 2 becomes the partition's leader
        cluster.metadata().setPartition(offsets.topic(), 0, r -> new PartitionRegistration(r.replicas(),
                List.of(2), List.of(), List.of(), 2, r.leaderEpoch() + 1, r.partitionEpoch() + 1));

        // then broker 2 loads the group and serves its committed offset
        try (KafkaConsumer<String, String> second = groupConsumer(cluster.bootstrap(2))) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(second.committed(java.util.Set.of(TP),
                    Duration.ofSeconds(5)).get(TP).offset()).isEqualTo(42));
        }
        assertThat(cluster.log(2, offsets).latestEpoch()).hasValue(0);
    }

    private KafkaConsumer<String, String> groupConsumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "moving-group");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumer.assign(List.of(TP));
        return consumer;
    }

    private KafkaProducer<String, String> producer(String bootstrap, boolean acksAll) {
        return producer(bootstrap, acksAll, acksAll
                ? Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                : Map.of(ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"));
    }

    private KafkaProducer<String, String> producer(String bootstrap, boolean acksAll, Map<String, String> extra) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.putAll(extra);
        KafkaProducer<String, String> producer = new KafkaProducer<>(props);
        clients.add(producer);
        return producer;
    }

    private KafkaConsumer<String, String> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumer.assign(List.of(TP));
        consumer.seekToBeginning(List.of(TP));
        clients.add(consumer);
        return consumer;
    }

    private List<ConsumerRecord<String, String>> consume(String bootstrap, int count) {
        return pollUntil(consumer(bootstrap), count);
    }

    private static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            return records.size() >= count;
        });
        return records;
    }
}
