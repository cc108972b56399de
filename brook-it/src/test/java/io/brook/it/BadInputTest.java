package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.RawKafkaConnection;

/**
 * Malformed and hostile input over real sockets: the offending connection is closed or answered with Kafka's error
 * code, and the broker keeps serving everyone else with its logs intact. A client's mistake is not the broker's error,
 * so the end-of-class log check also holds these cases to "no ERROR line" (Apache Kafka itself logs the close after an
 * unknown API key at ERROR, so this class fails against Kafka started through {@code BROOK_IT_LAUNCHER}).
 */
@BrookTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BadInputTest {

    /** Produce v9: the first flexible version, still addressing topics by name. */
    private static final short PRODUCE_VERSION = 9;

    @Test
    void shouldCloseOnlyThatConnectionWhenSizePrefixIsOversized(BrookBroker broker) throws Exception {
        // given a producer working on its own connection
        String topic = JavaClients.uniqueTopic("bad-size");
        JavaClients.createTopic(broker, topic, 1);
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "before")).get(30, TimeUnit.SECONDS);

            // when another connection announces a 2 GiB request
            try (RawKafkaConnection connection = RawKafkaConnection.open("localhost", broker.port())) {
                connection.sendRaw(ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0).array());

                // then that connection is closed
                assertThat(connection.isClosedByPeer()).isTrue();
            }

            // and the producer keeps working
            producer.send(new ProducerRecord<>(topic, 0, "k", "after")).get(30, TimeUnit.SECONDS);
        }
        assertThat(JavaClients.readAll(broker, JavaClients.partitions(topic, 1), Duration.ofSeconds(30)))
                .extracting(ConsumerRecord::value).containsExactly("before", "after");
    }

    @Test
    void shouldCloseConnectionWhenClientSpeaksHttp(BrookBroker broker) throws Exception {
        // given
        byte[] http = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        // when ("GET " read as a size prefix is over 1 GB)
        try (RawKafkaConnection connection = RawKafkaConnection.open("localhost", broker.port())) {
            connection.sendRaw(http);

            // then
            assertThat(connection.isClosedByPeer()).isTrue();
        }
        assertBrokerServes(broker);
    }

    @Test
    void shouldCloseConnectionWhenFrameHoldsGarbage(BrookBroker broker) throws Exception {
        // given a well-framed request whose header is garbage (API key 0x7f7f does not exist)
        byte[] body = new byte[64];
        new Random(42).nextBytes(body);
        body[0] = 0x7f;
        body[1] = 0x7f;

        // when
        try (RawKafkaConnection connection = RawKafkaConnection.open("localhost", broker.port())) {
            connection.sendRaw(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());

            // then
            assertThat(connection.isClosedByPeer()).isTrue();
        }
        assertBrokerServes(broker);
    }

    @Test
    void shouldAnswerCorruptMessageAndKeepLogIntactWhenBatchCrcIsWrong(BrookBroker broker) throws Exception {
        // given a valid batch with one payload byte flipped after the CRC was computed
        String topic = JavaClients.uniqueTopic("bad-crc");
        JavaClients.createTopic(broker, topic, 1);
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(System.currentTimeMillis(), "k".getBytes(StandardCharsets.UTF_8),
                        "payload-to-corrupt".getBytes(StandardCharsets.UTF_8)));
        ByteBuffer buffer = records.buffer().duplicate();
        int last = buffer.limit() - 3;
        buffer.put(last, (byte) (buffer.get(last) ^ 0x5a));
        MemoryRecords corrupted = MemoryRecords.readableRecords(buffer);

        // when
        ProduceResponse response;
        try (RawKafkaConnection connection = RawKafkaConnection.open("localhost", broker.port())) {
            response = (ProduceResponse) connection.send(produceRequest(topic, corrupted));
        }

        // then
        var partitionResponse = response.data().responses().iterator().next().partitionResponses().get(0);
        assertThat(Errors.forCode(partitionResponse.errorCode())).isEqualTo(Errors.CORRUPT_MESSAGE);

        // and the log holds only what is produced afterwards, from offset 0
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "good")).get(30, TimeUnit.SECONDS);
        }
        List<ConsumerRecord<String, String>> stored = JavaClients.readAll(broker, JavaClients.partitions(topic, 1),
                Duration.ofSeconds(30));
        assertThat(stored).extracting(r -> r.offset() + ":" + r.value()).containsExactly("0:good");
    }

    @Test
    void shouldFailProducerWithRecordTooLargeWhenRecordExceedsBrokerLimit(BrookBroker broker) throws Exception {
        // given a producer allowed to send 4 MB requests, so the broker (message.max.bytes ~1 MB) decides
        String topic = JavaClients.uniqueTopic("too-large");
        JavaClients.createTopic(broker, topic, 1);
        byte[] twoMegabytes = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(twoMegabytes);
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 16 * 1024 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            // when / then
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, 0, null, twoMegabytes))
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RecordTooLargeException.class);

            // and the same producer still delivers a normal record
            producer.send(new ProducerRecord<>(topic, 0, null, "small".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
        assertThat(JavaClients.readAll(broker, JavaClients.partitions(topic, 1), Duration.ofSeconds(30)))
                .extracting(ConsumerRecord::value).containsExactly("small");
    }

    private static ProduceRequest produceRequest(String topic, MemoryRecords records) {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(topic);
        topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
        data.topicData().add(topicData);
        return new ProduceRequest.Builder(PRODUCE_VERSION, PRODUCE_VERSION, data).build(PRODUCE_VERSION);
    }

    private static void assertBrokerServes(BrookBroker broker) throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open("localhost", broker.port())) {
            assertThat(connection.apiVersions().data().errorCode()).isEqualTo(Errors.NONE.code());
        }
        String topic = JavaClients.uniqueTopic("still-serving");
        JavaClients.createTopic(broker, topic, 1);
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            assertThat(producer.send(new ProducerRecord<>(topic, 0, "k", "v")).get(30, TimeUnit.SECONDS).offset())
                    .isZero();
        }
    }
}
