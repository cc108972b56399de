package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.KafkaTool;

/**
 * Kafka 4.4's kafka-consumer-groups tool (ConsumerGroupCommand in a child JVM) on classic groups and on groups of the
 * consumer protocol (KIP-848).
 */
// group.initial.rebalance.delay.ms=0: classic members here join empty groups, which would otherwise wait out
// Kafka's 3 s delay for more members; no test here is about that delay.
@BrookTest(overrides = {"group.initial.rebalance.delay.ms=0"})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsumerGroupsCliTest {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final DateTimeFormatter TOOL_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    @Test
    void shouldListAndDescribeMembersOffsetsAndLagWhenGroupIsActive(BrookBroker broker) {
        // given a member owning all three partitions, having committed 10, 20 and 30 of 100, 200 and 300 records
        String topic = JavaClients.uniqueTopic("cli-describe");
        String group = JavaClients.uniqueGroup("cli-describe");
        JavaClients.createTopic(broker, topic, 3);
        produce(broker, topic, List.of(100, 200, 300), 0);
        try (KafkaConsumer<String, String> member = joinAndCommit(broker, group, topic,
                Map.of(0, 10L, 1, 20L, 2, 30L))) {

            // when
            ExternalCommand.Result list = groups(broker, "--list");
            ExternalCommand.Result describe = groups(broker, "--describe", "--group", group);
            ExternalCommand.Result members = groups(broker, "--describe", "--group", group, "--members", "--verbose");
            ExternalCommand.Result state = groups(broker, "--describe", "--group", group, "--state");

            // then
            assertThat(list.stdoutLines()).as(list.describe()).contains(group);
            Map<Integer, List<String>> rows = partitionRows(describe, topic);
            assertThat(rows.keySet()).as(describe.describe()).containsExactlyInAnyOrder(0, 1, 2);
            for (int p = 0; p < 3; p++) {
                long committed = 10L * (p + 1);
                long end = 100L * (p + 1);
                // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
                List<String> row = rows.get(p);
                assertThat(row.subList(3, 6)).as(describe.describe()).containsExactly(Long.toString(committed),
                        Long.toString(end), Long.toString(end - committed));
                assertThat(row.get(6)).as(describe.describe()).startsWith("cli-member-");
                assertThat(row.get(8)).as(describe.describe()).isEqualTo("cli-member");
            }
            // GROUP CONSUMER-ID HOST CLIENT-ID #PARTITIONS CURRENT-EPOCH CURRENT-ASSIGNMENT TARGET-EPOCH
            // TARGET-ASSIGNMENT, where a classic group has no epochs and no target ("-")
            List<List<String>> memberRows = rows(members, group);
            assertThat(memberRows).as(members.describe()).hasSize(1);
            assertThat(memberRows.get(0).subList(3, 7)).as(members.describe()).containsExactly("cli-member", "3", "-",
                    topic + ":0,1,2");
            // GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS
            List<List<String>> stateRows = rows(state, group);
            assertThat(stateRows).as(state.describe()).hasSize(1);
            assertThat(stateRows.get(0)).as(state.describe()).endsWith("range", "Stable", "1");
            assertThat(member.assignment()).hasSize(3);
        }
    }

    @Test
    void shouldListAndDescribeMembersEpochsOffsetsAndLagWhenConsumerProtocolGroupIsActive(BrookBroker broker) {
        // given a consumer-protocol member owning all three partitions, having committed 10, 20 and 30
        String topic = JavaClients.uniqueTopic("cli-describe-848");
        String group = JavaClients.uniqueGroup("cli-describe-848");
        JavaClients.createTopic(broker, topic, 3);
        produce(broker, topic, List.of(100, 200, 300), 0);
        try (KafkaConsumer<String, String> member = joinAndCommit(broker, group, topic,
                Map.of(0, 10L, 1, 20L, 2, 30L), Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"))) {

            // when
            ExternalCommand.Result list = groups(broker, "--list");
            ExternalCommand.Result describe = groups(broker, "--describe", "--group", group);
            ExternalCommand.Result members = groups(broker, "--describe", "--group", group, "--members", "--verbose");
            ExternalCommand.Result state = groups(broker, "--describe", "--group", group, "--state");

            // then
            assertThat(list.stdoutLines()).as(list.describe()).contains(group);
            Map<Integer, List<String>> rows = partitionRows(describe, topic);
            assertThat(rows.keySet()).as(describe.describe()).containsExactlyInAnyOrder(0, 1, 2);
            for (int p = 0; p < 3; p++) {
                long committed = 10L * (p + 1);
                long end = 100L * (p + 1);
                List<String> row = rows.get(p);
                assertThat(row.subList(3, 6)).as(describe.describe()).containsExactly(Long.toString(committed),
                        Long.toString(end), Long.toString(end - committed));
                assertThat(row.get(8)).as(describe.describe()).isEqualTo("cli-member");
            }
            // GROUP CONSUMER-ID HOST CLIENT-ID #PARTITIONS CURRENT-EPOCH CURRENT-ASSIGNMENT TARGET-EPOCH
            // TARGET-ASSIGNMENT: the member has converged, so its epoch and the target's are the group's
            List<List<String>> memberRows = rows(members, group);
            assertThat(memberRows).as(members.describe()).hasSize(1);
            List<String> row = memberRows.get(0);
            assertThat(row.subList(3, 5)).as(members.describe()).containsExactly("cli-member", "3");
            assertThat(row.get(6)).as(members.describe()).isEqualTo(topic + ":0,1,2");
            assertThat(row.get(8)).as(members.describe()).isEqualTo(topic + ":0,1,2");
            assertThat(row.get(5)).as(members.describe()).isEqualTo(row.get(7)).isNotEqualTo("-");
            // GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS: the server assignor
            List<List<String>> stateRows = rows(state, group);
            assertThat(stateRows).as(state.describe()).hasSize(1);
            assertThat(stateRows.get(0)).as(state.describe()).endsWith("uniform", "Stable", "1");
            assertThat(member.assignment()).hasSize(3);
        }
    }

    @Test
    void shouldMoveCommittedOffsetsWhenResettingInactiveGroupToEarliestToDatetimeAndShiftBy(BrookBroker broker)
            throws Exception {
        // given an inactive group with committed offsets 70 and 80 on two partitions of 100 records, record i of
        // each partition written at base + i seconds
        String topic = JavaClients.uniqueTopic("cli-reset");
        String group = JavaClients.uniqueGroup("cli-reset");
        JavaClients.createTopic(broker, topic, 2);
        long base = System.currentTimeMillis() - 3_600_000;
        produce(broker, topic, List.of(100, 100), base);
        joinAndCommit(broker, group, topic, Map.of(0, 70L, 1, 80L)).close();
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);

        // when / then
        ExternalCommand.Result earliest = groups(broker, "--reset-offsets", "--group", group, "--topic", topic,
                "--to-earliest", "--execute");
        assertThat(earliest.succeeded()).as(earliest.describe()).isTrue();
        assertThat(JavaClients.committedOffsets(broker, group)).as(earliest.describe())
                .isEqualTo(Map.of(p0, 0L, p1, 0L));

        String datetime = TOOL_DATETIME.format(Instant.ofEpochMilli(base + 40_000));
        ExternalCommand.Result toDatetime = groups(broker, "--reset-offsets", "--group", group, "--topic", topic,
                "--to-datetime", datetime, "--execute");
        assertThat(toDatetime.succeeded()).as(toDatetime.describe()).isTrue();
        assertThat(JavaClients.committedOffsets(broker, group)).as(toDatetime.describe())
                .isEqualTo(Map.of(p0, 40L, p1, 40L));

        ExternalCommand.Result shift = groups(broker, "--reset-offsets", "--group", group, "--topic", topic,
                "--shift-by", "-15", "--execute");
        assertThat(shift.succeeded()).as(shift.describe()).isTrue();
        assertThat(JavaClients.committedOffsets(broker, group)).as(shift.describe())
                .isEqualTo(Map.of(p0, 25L, p1, 25L));
        // the tool prints the new offsets: GROUP TOPIC PARTITION NEW-OFFSET
        assertThat(rows(shift, group)).as(shift.describe()).extracting(row -> row.get(3))
                .containsExactly("25", "25");
    }

    @Test
    void shouldRefuseDeletingActiveGroupAndDeleteItWhenInactive(BrookBroker broker) throws Exception {
        // given an active group with committed offsets
        String topic = JavaClients.uniqueTopic("cli-delete");
        String group = JavaClients.uniqueGroup("cli-delete");
        JavaClients.createTopic(broker, topic, 1);
        produce(broker, topic, List.of(10), 0);
        ExternalCommand.Result whileActive;
        try (KafkaConsumer<String, String> member = joinAndCommit(broker, group, topic, Map.of(0, 5L))) {
            // when
            whileActive = groups(broker, "--delete", "--group", group);
            assertThat(member.assignment()).hasSize(1);
        }
        ExternalCommand.Result whenInactive = groups(broker, "--delete", "--group", group);

        // then
        assertThat(whileActive.stdout() + whileActive.stderr()).as(whileActive.describe())
                .contains("GroupNotEmptyException");
        assertThat(whenInactive.stdout()).as(whenInactive.describe())
                .contains("Deletion of requested consumer groups ('" + group + "') was successful.");
        try (Admin admin = JavaClients.admin(broker)) {
            assertThat(admin.listGroups().all().get(30, TimeUnit.SECONDS)).extracting(GroupListing::groupId)
                    .doesNotContain(group);
        }
        assertThat(JavaClients.committedOffsets(broker, group)).isEmpty();
    }

    /**
     * A member (client.id cli-member) that joined the group, owns every partition of the topic and committed the given
     * offsets; it stays a member until closed (its heartbeat thread keeps it alive without polls).
     */
    private static KafkaConsumer<String, String> joinAndCommit(BrookBroker broker, String group, String topic,
            Map<Integer, Long> offsets) {
        return joinAndCommit(broker, group, topic, offsets, Map.of());
    }

    private static KafkaConsumer<String, String> joinAndCommit(BrookBroker broker, String group, String topic,
            Map<Integer, Long> offsets, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "cli-member");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        KafkaConsumer<String, String> consumer = JavaClients.groupConsumer(broker, group, config);
        try {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (consumer.assignment().size() < offsets.size()) {
                assertThat(System.nanoTime()).as("time to join the group").isLessThan(deadline);
                consumer.poll(Duration.ofMillis(100));
            }
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            offsets.forEach((p, offset) -> commit.put(new TopicPartition(topic, p), new OffsetAndMetadata(offset)));
            consumer.commitSync(commit);
            return consumer;
        } catch (RuntimeException | AssertionError e) {
            consumer.close();
            throw e;
        }
    }

    /** Writes {@code counts.get(p)} records to each partition p, record i with timestamp base + i s (0: now). */
    private static void produce(BrookBroker broker, String topic, List<Integer> counts, long base) {
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker, Map.of())) {
            for (int p = 0; p < counts.size(); p++) {
                for (int i = 0; i < counts.get(p); i++) {
                    Long timestamp = base == 0 ? null : base + i * 1_000L;
                    producer.send(new ProducerRecord<>(topic, p, timestamp, "k" + i, "v" + i));
                }
            }
            producer.flush();
        }
    }

    private static ExternalCommand.Result groups(BrookBroker broker, String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", broker.bootstrapServers()));
        all.addAll(List.of(args));
        return KafkaTool.command(KafkaTool.CONSUMER_GROUP_COMMAND, all.toArray(String[]::new)).timeout(TOOL_TIMEOUT)
                .run();
    }

    /** The whitespace-separated fields of every output line whose first field is {@code group}. */
    private static List<List<String>> rows(ExternalCommand.Result result, String group) {
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        return result.stdoutLines().stream().map(String::trim).filter(line -> line.startsWith(group + " "))
                .map(line -> List.of(line.split("\\s+"))).toList();
    }

    /** Describe rows of the topic by partition. */
    private static Map<Integer, List<String>> partitionRows(ExternalCommand.Result result, String topic) {
        Map<Integer, List<String>> byPartition = new HashMap<>();
        for (String line : result.stdoutLines()) {
            List<String> fields = List.of(line.trim().split("\\s+"));
            if (fields.size() >= 9 && fields.get(1).equals(topic)) {
                byPartition.put(Integer.valueOf(fields.get(2)), fields);
            }
        }
        assertThat(Set.copyOf(byPartition.keySet())).as(result.describe()).isNotEmpty();
        return byPartition;
    }
}
