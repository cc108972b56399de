package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.DefaultRecord;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.ClientPrograms;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.TestClasspath;

/**
 * Broker-side {@code compression.type}, {@code message.timestamp.*} and {@code max.message.bytes} with real clients:
 * the Java producer and consumer, and librdkafka through confluent-kafka-python. What the broker stored is checked in
 * its segment files.
 */
@BrookTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrokerCompressionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int COUNT = 1_000;

    @ParameterizedTest(name = "producer compression.type={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void shouldStoreZstdAndReadBackEveryRecordWhenJavaProducerUsesAnyCodec(String codec, BrookBroker broker)
            throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("zstd-from-" + codec);
        createTopic(broker, topic, Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "zstd"));

        // when
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker,
                Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec, ProducerConfig.LINGER_MS_CONFIG, 5))) {
            for (int i = 0; i < COUNT; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, 0, "k" + i, "value-" + i)));
            }
            producer.flush();
            for (int i = 0; i < COUNT; i++) {
                assertThat(sent.get(i).get(30, TimeUnit.SECONDS).offset()).isEqualTo(i);
            }
        }

        // then
        List<ConsumerRecord<String, String>> records = JavaClients.readAll(broker, JavaClients.partitions(topic, 1),
                TIMEOUT);
        assertThat(records).extracting(r -> r.offset() + " " + r.key() + " " + r.value())
                .containsExactlyElementsOf(IntStream.range(0, COUNT).mapToObj(i -> i + " k" + i + " value-" + i)
                        .toList());
        assertThat(storedCodecs(broker, topic)).containsOnly(CompressionType.ZSTD);
    }

    @ParameterizedTest(name = "librdkafka compression.type={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void shouldStoreZstdAndReadBackEveryRecordWhenLibrdkafkaUsesAnyCodec(String codec, BrookBroker broker) {
        // given
        String python = ClientPrograms.python("confluent_kafka");
        String topic = JavaClients.uniqueTopic("zstd-from-rdkafka-" + codec);
        createTopic(broker, topic, Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "zstd"));

        // when
        ExternalCommand.Result result = ExternalCommand.of(python,
                TestClasspath.resource("clients/confluent_producer.py").toString(), broker.bootstrapServers(), topic,
                Integer.toString(COUNT), codec).timeout(TIMEOUT).run();

        // then every delivery report is a success with the offset the record really has
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        List<String> expected = IntStream.range(0, COUNT).mapToObj(i -> "0\t" + i + "\tk" + i + "\tconfluent-" + i)
                .toList();
        assertThat(result.stdoutLines()).as(result.describe()).containsExactlyElementsOf(expected);
        List<ConsumerRecord<String, String>> records = JavaClients.readAll(broker, JavaClients.partitions(topic, 1),
                TIMEOUT);
        assertThat(records).extracting(r -> r.partition() + "\t" + r.offset() + "\t" + r.key() + "\t" + r.value())
                .containsExactlyElementsOf(expected);
        assertThat(storedCodecs(broker, topic)).containsOnly(CompressionType.ZSTD);
    }

    @Test
    void shouldFindOffsetsByTimestampWhenBatchesWereRecompressed(BrookBroker broker) throws Exception {
        // given lz4 batches rebuilt as zstd, records 10 ms apart
        String topic = JavaClients.uniqueTopic("times-zstd");
        createTopic(broker, topic, Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "zstd"));
        long base = System.currentTimeMillis() - 60_000;
        int count = 300;
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker,
                Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.LINGER_MS_CONFIG, 20))) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, 0, base + 10L * i, "k" + i, "v" + i)));
            }
            for (Future<RecordMetadata> future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
        }

        // when
        try (KafkaConsumer<String, String> consumer = JavaClients.consumer(broker, Map.of())) {
            for (int i = 0; i < count; i += 37) {
                TopicPartition tp = new TopicPartition(topic, 0);
                OffsetAndTimestamp hit = consumer.offsetsForTimes(Map.of(tp, base + 10L * i - 5),
                        Duration.ofSeconds(30)).get(tp);
                // then the first record at or after the time, with its own timestamp
                assertThat(hit).as("offset for time of record " + i).isNotNull();
                assertThat(hit.offset()).isEqualTo(i);
                assertThat(hit.timestamp()).isEqualTo(base + 10L * i);
            }
        }
        assertThat(storedCodecs(broker, topic)).containsOnly(CompressionType.ZSTD);
    }

    @Test
    void shouldKeepProducerCodecWhenCompressionTypeIsProducer(BrookBroker broker) throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("producer-codec");
        createTopic(broker, topic, Map.of());

        // when
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker,
                Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"))) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "v")).get(30, TimeUnit.SECONDS);
        }

        // then
        assertThat(storedCodecs(broker, topic)).containsOnly(CompressionType.LZ4);
    }

    @Test
    void shouldStampLogAppendTimeWhenTopicUsesIt(BrookBroker broker) throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("log-append-time");
        createTopic(broker, topic, Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime",
                TopicConfig.COMPRESSION_TYPE_CONFIG, "gzip"));
        long before = System.currentTimeMillis();

        // when a record claims a timestamp from long ago
        RecordMetadata metadata;
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            metadata = producer.send(new ProducerRecord<>(topic, 0, 1_000L, "k", "v")).get(30, TimeUnit.SECONDS);
        }

        // then the broker's time replaces it, in the produce response and in the stored record
        assertThat(metadata.timestamp()).isBetween(before, System.currentTimeMillis());
        List<ConsumerRecord<String, String>> records = JavaClients.readAll(broker, JavaClients.partitions(topic, 1),
                TIMEOUT);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            assertThat(r.timestamp()).isEqualTo(metadata.timestamp());
        });
        assertThat(storedCodecs(broker, topic)).containsOnly(CompressionType.GZIP);
    }

    @Test
    void shouldRejectTimestampsOutsideTheTopicBoundsWhenCreateTime(BrookBroker broker) throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("timestamp-bounds");
        createTopic(broker, topic, Map.of(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, "60000",
                TopicConfig.COMPRESSION_TYPE_CONFIG, "zstd"));
        long now = System.currentTimeMillis();

        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            // when / then: the default after bound is one hour, the topic's before bound one minute
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, 0, now + 7_200_000L, "k", "future"))
                    .get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InvalidTimestampException.class);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, 0, now - 7_200_000L, "k", "past"))
                    .get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InvalidTimestampException.class);
            RecordMetadata accepted = producer.send(new ProducerRecord<>(topic, 0, now - 1_000L, "k", "recent"))
                    .get(30, TimeUnit.SECONDS);
            assertThat(accepted.timestamp()).isEqualTo(now - 1_000L);
        }
        List<ConsumerRecord<String, String>> records = JavaClients.readAll(broker, JavaClients.partitions(topic, 1),
                TIMEOUT);
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("recent");
    }

    @Test
    void shouldAnswerRecordTooLargeWhenRecompressedBatchExceedsMaxMessageBytes(BrookBroker broker) throws Exception {
        // given one incompressible record whose uncompressed batch is exactly max.message.bytes
        byte[] value = new byte[200];
        new Random(7).nextBytes(value);
        int batchSize = DefaultRecordBatch.RECORD_BATCH_OVERHEAD
                + DefaultRecord.sizeInBytes(0, 0L, -1, value.length, new Header[0]);
        String topic = JavaClients.uniqueTopic("too-large-after-gzip");
        createTopic(broker, topic, Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "gzip",
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(batchSize)));

        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            // when / then: gzip's header and trailer push the stored batch over the limit
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, 0, null, value))
                    .get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RecordTooLargeException.class);
        }
    }

    private static void createTopic(BrookBroker broker, String topic, Map<String, String> configs) {
        try (Admin admin = JavaClients.admin(broker)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(configs))).all()
                    .get(30, TimeUnit.SECONDS);
            Awaitility.await("metadata of new topic " + topic).atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> admin.describeTopics(Set.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                            .get(topic).partitions().size() == 1);
        } catch (Exception e) {
            throw new AssertionError("could not create topic " + topic, e);
        }
    }

    /** The codec of every batch in the segment files of partition 0 of {@code topic}. */
    private static List<CompressionType> storedCodecs(BrookBroker broker, String topic) {
        List<CompressionType> codecs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(broker.dataDir())) {
            List<Path> segments = files
                    .filter(p -> p.getParent().getFileName().toString().equals(topic + "-0"))
                    .filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
            assertThat(segments).as("segments of " + topic).isNotEmpty();
            for (Path segment : segments) {
                try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
                    for (RecordBatch batch : records.batches()) {
                        codecs.add(batch.compressionType());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return codecs;
    }
}
