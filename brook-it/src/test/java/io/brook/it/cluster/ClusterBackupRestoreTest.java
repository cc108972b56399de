package io.brook.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.brook.broker.Broker;
import io.brook.broker.config.BrokerConfig;
import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookCluster;
import io.brook.it.harness.BrookClusterTest;
import io.brook.it.harness.JavaClients;
import io.brook.server.backup.BackupCommand;
import io.brook.server.backup.RestoreCommand;

import picocli.CommandLine;

/**
 * {@code brook backup} of a 3-node cluster whose partitions changed leader (so batches and committed offsets carry
 * leader epochs above zero), restored onto a single node: the records are at their offsets, the committed offsets are
 * there, and a consumer of the group resumes right after its commit rather than stalling or resetting.
 *
 * <p>group.initial.rebalance.delay.ms=0 on the cluster and the single node: each classic consumer here joins an empty
 * group, which would otherwise wait out Kafka's 3 s delay for more members.
 */
@BrookClusterTest(nodes = 3, overrides = {ClusterBackupRestoreTest.NO_JOIN_DELAY})
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterBackupRestoreTest {

    static final String NO_JOIN_DELAY = "group.initial.rebalance.delay.ms=0";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void shouldResumeTheGroupOnASingleNodeWhenRestoredFromAClusterWithLeaderChanges(BrookCluster cluster)
            throws Exception {
        // given an RF=3 topic whose first partition changed leader between writes
        String topic = JavaClients.uniqueTopic("orders");
        String group = JavaClients.uniqueGroup("cluster-backup");
        cluster.createTopic(topic, 2, 3, Map.of("min.insync.replicas", "2"));
        BrookBroker clients = cluster.clients();
        List<TopicPartition> partitions = JavaClients.partitions(topic, 2);
        try (KafkaProducer<String, String> producer = JavaClients.producer(clients, Map.of())) {
            send(producer, topic, 0, 20);
            // several leader changes: epochs on the source above what the restored single node starts at
            for (int i = 0; i < 3; i++) {
                cluster.restart(cluster.leaderOf(partitions.get(0)));
                cluster.awaitFullIsr(topic);
            }
            send(producer, topic, 20, 20);
        }
        // and a group that consumed everything so far and committed its positions (with their leader epochs)
        try (KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(clients, group, Map.of())) {
            JavaClients.readAll(consumer, partitions, TIMEOUT);
            consumer.commitSync(TIMEOUT);
        }
        Map<TopicPartition, Long> committed = JavaClients.committedOffsets(clients, group);
        assertThat(committed).containsEntry(partitions.get(0), 20L).containsEntry(partitions.get(1), 20L);
        try (KafkaProducer<String, String> producer = JavaClients.producer(clients, Map.of())) {
            send(producer, topic, 40, 10);
        }
        List<String> expected = values(JavaClients.readAll(clients, partitions, TIMEOUT));

        // when the cluster is backed up and restored onto a fresh single node
        Path backup = work.resolve("backup");
        StringWriter err = new StringWriter();
        int backedUp = command(new BackupCommand(Map.of(), Admin::create, false), err)
                .execute("--bootstrap-server", cluster.bootstrapServers(), "--output", backup.toString());
        assertThat(backedUp).as(err.toString()).isZero();
        Map<String, String> single = Map.of("log.dirs", work.resolve("single").toString(), "listeners",
                "PLAINTEXT://localhost:0,CONTROLLER://localhost:0");
        List<String> restoreArgs = new ArrayList<>(List.of("--input", backup.toString()));
        single.forEach((name, value) -> restoreArgs.addAll(List.of("--override", name + "=" + value)));
        int restored = command(new RestoreCommand(), err).execute(restoreArgs.toArray(String[]::new));
        assertThat(restored).as(err.toString()).isZero();

        // then on the single node: every record at its offset, the commits, and the group resumes after them
        Map<String, String> singleBroker = new HashMap<>(single);
        singleBroker.put("group.initial.rebalance.delay.ms", "0");
        try (Broker broker = Broker.start(BrokerConfig.parse(singleBroker))) {
            String bootstrap = "localhost:" + broker.boundPort("PLAINTEXT");
            try (KafkaConsumer<String, String> reader = consumer(bootstrap, null)) {
                assertThat(values(JavaClients.readAll(reader, partitions, TIMEOUT))).isEqualTo(expected);
            }
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                Map<TopicPartition, Long> restoredCommits = new HashMap<>();
                offsets.forEach((tp, o) -> restoredCommits.put(tp, o.offset()));
                assertThat(restoredCommits).isEqualTo(committed);
                assertThat(admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                        .partitions().get(0).replicas()).hasSize(1);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                    new StringSerializer())) {
                assertThat(producer.send(new ProducerRecord<>(topic, 0, "k", "after")).get(30, TimeUnit.SECONDS)
                        .offset()).isEqualTo(25);
            }
            List<ConsumerRecord<String, String>> resumed = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = consumer(bootstrap, group)) {
                consumer.subscribe(List.of(topic));
                Awaitility.await("the group resuming").atMost(TIMEOUT).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(resumed::add);
                    return resumed.size() >= 11;
                });
            }
            assertThat(resumed).extracting(r -> r.partition() + "@" + r.offset()).containsExactlyInAnyOrder("0@20",
                    "0@21", "0@22", "0@23", "0@24", "0@25", "1@20", "1@21", "1@22", "1@23", "1@24");
        }
    }

    private static void send(KafkaProducer<String, String> producer, String topic, int from, int count)
            throws Exception {
        for (int i = from; i < from + count; i++) {
            producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> r.partition() + "@" + r.offset() + " " + r.key() + "=" + r.value() + " "
                + r.timestamp()).sorted().toList();
    }

    private static CommandLine command(Object command, StringWriter err) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }
}
