package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.TestPki;
import io.brook.it.harness.WorkDirs;

/**
 * Three nodes whose inter-broker listener REPLICATION and controller listener CONTROLLER (the metadata quorum's Raft
 * traffic) are SSL with mutual TLS: followers fetch from leaders over TLS
 * (host names checked, https endpoint identification, Kafka's default), so an acks=all produce with
 * min.insync.replicas=3 succeeds only if every follower's TLS connection works.
 *
 * <p>Authorization is on too, the way an operator secures such a cluster: the brokers' certificate principal is a
 * super user, and the cluster resource carries an ACL (a DENY for the anonymous clients), so a follower that were not
 * recognised as a super user would be refused CLUSTER_ACTION and the acks=all produce would time out. Clients, on the
 * PLAINTEXT listener, use topics without ACLs ({@code allow.everyone.if.no.acl.found=true}).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TlsReplicationTest {

    private static final Pattern RATIS_APPEND_TO_CLOSING_VOTER = Pattern
            .compile("ERROR o\\.a\\.ratis\\.server\\.RaftServer\\$Division - \\d+@group-\\w+: Failed appendEntries");

    @Test
    void shouldReplicateOverTlsWhenInterBrokerListenerIsSsl() throws IOException, Exception {
        Path workDir = WorkDirs.create("TlsReplicationTest");
        TestPki pki = TestPki.create(workDir.resolve("pki")).issue("broker", "CN=localhost,O=Brook", true);
        try (BrookCluster cluster = BrookCluster.builder(workDir).nodes(3).replicationProtocol("SSL")
                .overrides(List.of(
                        "listener.name.replication.ssl.keystore.location=" + pki.keystore("broker", "JKS"),
                        "listener.name.replication.ssl.keystore.type=JKS",
                        "listener.name.replication.ssl.keystore.password=" + TestPki.PASSWORD,
                        "listener.name.replication.ssl.key.password=" + TestPki.PASSWORD,
                        "listener.name.replication.ssl.truststore.location=" + pki.truststore("PKCS12"),
                        "listener.name.replication.ssl.truststore.type=PKCS12",
                        "listener.name.replication.ssl.truststore.password=" + TestPki.PASSWORD,
                        "listener.name.replication.ssl.client.auth=required",
                        // the metadata quorum's Raft traffic over mutual TLS too
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:SSL,REPLICATION:SSL",
                        "listener.name.controller.ssl.keystore.location=" + pki.keystore("broker", "PKCS12"),
                        "listener.name.controller.ssl.keystore.password=" + TestPki.PASSWORD,
                        "listener.name.controller.ssl.key.password=" + TestPki.PASSWORD,
                        "listener.name.controller.ssl.truststore.location=" + pki.truststore("PKCS12"),
                        "listener.name.controller.ssl.truststore.password=" + TestPki.PASSWORD,
                        "listener.name.controller.ssl.client.auth=required",
                        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                        "super.users=User:CN=localhost,O=Brook", "allow.everyone.if.no.acl.found=true"))
                .build()) {
            cluster.expectLogLine(RATIS_APPEND_TO_CLOSING_VOTER);
            cluster.start();
            String topic = JavaClients.uniqueTopic("tls-replicated");
            try (Admin admin = cluster.admin(Duration.ofSeconds(30))) {
                admin.createAcls(List.of(new AclBinding(
                        new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                        new AccessControlEntry("User:ANONYMOUS", "*", AclOperation.CLUSTER_ACTION,
                                AclPermissionType.DENY))))
                        .all().get(30, TimeUnit.SECONDS);
                admin.createTopics(List.of(new NewTopic(topic, 2, (short) 3)
                        .configs(Map.of("min.insync.replicas", "3")))).all().get(30, TimeUnit.SECONDS);
            }
            cluster.awaitFullIsr(topic);

            List<String> values = IntStream.range(0, 500).mapToObj(i -> "replicated-" + i).toList();
            try (KafkaProducer<String, String> producer = JavaClients.producer(cluster.clients(),
                    Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
                for (String value : values) {
                    producer.send(new ProducerRecord<>(topic, 0, null, value)).get(30, TimeUnit.SECONDS);
                }
            }

            assertThat(cluster.describe(new TopicPartition(topic, 0)).isr()).hasSize(3);
            List<ConsumerRecord<String, String>> records = JavaClients.readAll(cluster.clients(),
                    List.of(new TopicPartition(topic, 0)), Duration.ofSeconds(30));
            assertThat(records).extracting(ConsumerRecord::value).containsExactlyElementsOf(values);
        }
    }
}
