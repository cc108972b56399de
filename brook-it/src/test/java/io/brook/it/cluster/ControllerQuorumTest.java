package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownServerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.FastFailureDetection;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.ReplicatedLogCheck;

/**
 * The controller quorum of three combined nodes: with one voter dead metadata changes still commit; with two dead they
 * fail within a bound with a clear error; when one comes back service resumes and nothing committed before is lost.
 * The brokers run with {@link FastFailureDetection}: a killed node's session (which also blocks its re-registration)
 * expires in seconds, not Kafka's 9.
 */
@BrookClusterTest(nodes = 3, overrides = {FastFailureDetection.SESSION_TIMEOUT,
        FastFailureDetection.HEARTBEAT_INTERVAL})
@Timeout(value = 360, unit = TimeUnit.SECONDS)
class ControllerQuorumTest {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerQuorumTest.class);
    /** The admin's own deadline; a quorum-less controller must answer (or the call time out) within it. */
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void shouldKeepMetadataWorkingWithOneVoterDownAndRefuseChangesWithTwoDown(BrookCluster cluster) throws Exception {
        // given a topic with committed records
        String before = JavaClients.uniqueTopic("before");
        cluster.createTopic(before, 1, 3, Map.of("min.insync.replicas", "2"));
        TopicPartition beforePartition = new TopicPartition(before, 0);
        NavigableMap<Long, String> acked = new TreeMap<>();
        try (KafkaProducer<String, String> producer = JavaClients.producer(cluster.clients(), Map.of())) {
            for (int i = 0; i < 100; i++) {
                String value = "before:0:" + i;
                RecordMetadata metadata = producer.send(
                        new org.apache.kafka.clients.producer.ProducerRecord<>(before, 0, "k", value))
                        .get(30, TimeUnit.SECONDS);
                acked.put(metadata.offset(), value);
            }
        }

        // when the quorum leader (as DescribeMetadataQuorum reports it; node 1 if the API is missing) dies
        int first = quorumLeaderOr(cluster, 1);
        cluster.kill(first);
        cluster.awaitBrokersRegistered(cluster.running());

        // then metadata changes still commit
        String withTwo = JavaClients.uniqueTopic("two-voters");
        cluster.createTopic(withTwo, 1, 2, Map.of());

        // when a second voter dies
        int second = cluster.running().iterator().next();
        cluster.kill(second);
        int survivor = cluster.running().iterator().next();

        // then a metadata change fails within a bound, with an error a client can act on
        String withOne = JavaClients.uniqueTopic("one-voter");
        long start = System.nanoTime();
        Throwable failure;
        try (Admin admin = cluster.admin(ADMIN_TIMEOUT)) {
            failure = catchThrowable(() -> admin.createTopics(List.of(new NewTopic(withOne, 1, (short) 1))).all()
                    .get(ADMIN_TIMEOUT.toSeconds() + 15, TimeUnit.SECONDS));
        }
        long failedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        LOG.info("create topic without quorum (survivor {}) failed after {} ms with {}", survivor, failedAfterMs,
                String.valueOf(failure));
        assertThat(failure).as("create topic without a quorum").isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(KafkaException.class)
                .isNotInstanceOf(UnknownServerException.class);

        // when one voter returns
        cluster.node(second).start();
        cluster.awaitBrokersRegistered(cluster.running());

        // then service resumes and what was committed is intact
        String after = JavaClients.uniqueTopic("after");
        cluster.createTopic(after, 1, 2, Map.of());
        cluster.node(first).start();
        cluster.awaitBrokersRegistered(Set.of(1, 2, 3));
        cluster.awaitFullIsr(before);
        cluster.awaitFullIsr(withTwo);
        List<String> topics;
        try (Admin admin = cluster.admin()) {
            topics = new ArrayList<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
        }
        assertThat(topics).contains(before, withTwo, after);
        if (topics.contains(withOne)) {
            cluster.awaitFullIsr(withOne); // a change refused to the client may still commit later, but whole
        }
        ReplicatedLogCheck.verify(cluster.clients(), List.of(beforePartition), Map.of(beforePartition, acked));
    }

    private static int quorumLeaderOr(BrookCluster cluster, int fallback) {
        try (Admin admin = cluster.admin()) {
            return admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
        } catch (Exception e) {
            LOG.info("DescribeMetadataQuorum unavailable ({}); killing node {}", e.toString(), fallback);
            return fallback;
        }
    }
}
