package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.ClusterNode;
import io.brook.it.harness.JavaClients;

/** A recompressing, LogAppendTime topic replicated three ways: every replica stores the leader's bytes. */
@BrookClusterTest(nodes = 3)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CompressionReplicationTest {

    @Test
    void shouldStoreTheLeadersRecompressedBatchesOnEveryReplica(BrookCluster cluster) throws Exception {
        // given
        String topic = JavaClients.uniqueTopic("zstd-rf3");
        TopicPartition partition = new TopicPartition(topic, 0);
        cluster.createTopic(topic, 1, 3, Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "zstd",
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
        cluster.awaitFullIsr(topic);
        int count = 500;

        // when an lz4 producer writes with acks=all
        try (KafkaProducer<String, String> producer = JavaClients.producer(cluster.clients(),
                Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.LINGER_MS_CONFIG, 5))) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i)));
            }
            for (Future<RecordMetadata> future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
        }

        // then
        List<ConsumerRecord<String, String>> records = JavaClients.readAll(cluster.clients(), List.of(partition),
                Duration.ofSeconds(30));
        assertThat(records).extracting(ConsumerRecord::value)
                .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> "v" + i).toList());
        ClusterNode leader = cluster.node(cluster.leaderOf(partition));
        assertThat(codecs(leader, topic)).containsOnly(CompressionType.ZSTD);
        byte[] leaderBytes = segmentBytes(leader, topic);
        for (ClusterNode node : cluster.nodes()) {
            Awaitility.await("replica " + node.id() + " holds the leader's bytes").atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(segmentBytes(node, topic)).isEqualTo(leaderBytes));
        }
    }

    private static List<Path> segments(ClusterNode node, String topic) {
        try (Stream<Path> files = Files.walk(node.dataDir())) {
            return files.filter(p -> p.getParent().getFileName().toString().equals(topic + "-0"))
                    .filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] segmentBytes(ClusterNode node, String topic) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path segment : segments(node, topic)) {
            all.write(Files.readAllBytes(segment));
        }
        return all.toByteArray();
    }

    private static List<CompressionType> codecs(ClusterNode node, String topic) throws IOException {
        List<CompressionType> codecs = new ArrayList<>();
        for (Path segment : segments(node, topic)) {
            try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
                for (RecordBatch batch : records.batches()) {
                    codecs.add(batch.compressionType());
                }
            }
        }
        assertThat(codecs).as("batches of " + topic + " on node " + node.id()).isNotEmpty();
        return codecs;
    }
}
