package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.ClusterNode;
import io.brook.it.harness.JavaClients;

/**
 * KRaft's separated roles: node 1 runs {@code process.roles=controller} alone (the only voter, no Kafka listener),
 * nodes 2 and 3 {@code process.roles=broker}. The brokers register with it, clients never see it as a broker, and
 * when a broker dies the controller fences it and moves its leaderships.
 */
@BrookClusterTest(nodes = 3, controllers = 1, controllerOnly = 1, overrides = {"broker.session.timeout.ms=4000",
        "broker.heartbeat.interval.ms=500"})
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ControllerOnlyNodeTest {

    private static final int CONTROLLER = 1;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void shouldRunBrokersAgainstAControllerOnlyNodeAndMoveLeadershipWhenABrokerDies(BrookCluster cluster)
            throws Exception {
        // given a controller-only voter and two brokers
        try (Admin admin = cluster.admin()) {
            // then clients see the two brokers only, and the quorum led by the controller with both brokers observing
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).extracting(Node::id)
                    .containsExactlyInAnyOrder(2, 3);
            QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS);
            assertThat(quorum.leaderId()).isEqualTo(CONTROLLER);
            assertThat(quorum.voters()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactly(CONTROLLER);
            assertThat(quorum.observers()).extracting(QuorumInfo.ReplicaState::replicaId)
                    .containsExactlyInAnyOrder(2, 3);
        }
        ClusterNode controller = cluster.node(CONTROLLER);
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        assertThat(status(http, controller, "/health/ready")).isEqualTo(200);
        assertThat(status(http, controller, "/metrics")).isEqualTo(200);
        assertThat(status(http, controller, "/api/cluster")).as("no admin API without a Kafka listener")
                .isEqualTo(404);

        // when a topic replicated on both brokers takes writes
        String topic = JavaClients.uniqueTopic("separated-roles");
        TopicPartition tp = new TopicPartition(topic, 0);
        cluster.createTopic(topic, 1, 2, Map.of("min.insync.replicas", "1"));
        try (KafkaProducer<String, String> producer = JavaClients.producer(cluster.clients(), Map.of())) {
            List<String> acknowledged = new ArrayList<>(send(producer, topic, "before", 50));

            // and the partition's leader dies
            int leader = cluster.leaderOf(tp);
            cluster.kill(leader);

            // then the controller fences it and the other broker leads and takes writes
            int next = cluster.awaitLeader(tp, Set.of(leader));
            assertThat(next).isNotEqualTo(CONTROLLER);
            acknowledged.addAll(send(producer, topic, "after", 50));

            // and the restarted broker catches up and rejoins the ISR
            cluster.restart(leader);
            cluster.awaitIsr(tp, Set.of(2, 3));
            assertThat(JavaClients.readAll(cluster.clients(), List.of(tp), TIMEOUT).stream()
                    .map(r -> r.value()).collect(Collectors.toList())).containsExactlyElementsOf(acknowledged);
        }
    }

    private static List<String> send(KafkaProducer<String, String> producer, String topic, String prefix, int count)
            throws Exception {
        List<String> values = new ArrayList<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(prefix + "-" + i);
            sends.add(producer.send(new ProducerRecord<>(topic, 0, "k", prefix + "-" + i)));
        }
        for (Future<RecordMetadata> send : sends) {
            send.get(60, TimeUnit.SECONDS);
        }
        return values;
    }

    private static int status(HttpClient http, ClusterNode node, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(TIMEOUT).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
