package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.brook.it.groups.GroupLedger;
import io.brook.it.groups.GroupMember;
import io.brook.it.groups.GroupMemberMain;
import io.brook.it.harness.BrookBroker;
import io.brook.it.harness.BrookTest;
import io.brook.it.harness.ExternalCommand;
import io.brook.it.harness.JavaClients;
import io.brook.it.harness.KafkaTool;

/**
 * Consumer groups with kafka-clients 4.4, classic protocol (client-side assignors) and consumer protocol (KIP-848,
 * server-side assignors chosen by {@code group.remote.assignor}): members joining, leaving cleanly and being killed
 * while a producer writes; every record consumed, each partition owned by one member per generation (member epoch).
 */
@BrookTest(overrides = {"group.consumer.heartbeat.interval.ms=500", "group.consumer.min.heartbeat.interval.ms=500",
        "group.consumer.session.timeout.ms=6000", "group.consumer.min.session.timeout.ms=6000"})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsumerGroupTest {

    private static final int PARTITIONS = 6;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The lowest session timeout Kafka accepts by default (group.min.session.timeout.ms). */
    private static final int SESSION_TIMEOUT_MS = 6_000;
    private static final String CLASSIC_RANGE = "classic-range";
    private static final String CLASSIC_COOPERATIVE = "classic-cooperative-sticky";
    private static final String CONSUMER_UNIFORM = GroupMemberMain.CONSUMER_PROTOCOL_PREFIX + "uniform";
    private static final String CONSUMER_RANGE = GroupMemberMain.CONSUMER_PROTOCOL_PREFIX + "range";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {CLASSIC_RANGE, CLASSIC_COOPERATIVE, CONSUMER_UNIFORM, CONSUMER_RANGE})
    void shouldConsumeEveryRecordOnceWithOneOwnerPerPartitionWhenMembersLeaveAndJoinMidStream(String assignor,
            BrookBroker broker) throws Exception {
        // given three members of a new group over a six-partition topic
        String topic = JavaClients.uniqueTopic("group-churn");
        String group = JavaClients.uniqueGroup("churn");
        JavaClients.createTopic(broker, topic, PARTITIONS);
        int count = 30_000;
        GroupLedger ledger = new GroupLedger(2_000);
        Map<String, Object> config = memberConfig(assignor);
        List<GroupMember> members = new ArrayList<>();
        ExecutorService producerThread = Executors.newSingleThreadExecutor();
        Throwable failure = null;
        try {
            for (String name : List.of("a", "b", "c")) {
                members.add(new GroupMember(name, broker, group, topic, config, ledger).start());
            }
            awaitStableAssignment(ledger, Set.of("a", "b", "c"), topic, assignor);
            if (!isClassic(assignor)) {
                // the server assignor the members asked for (group.remote.assignor) is the group's
                try (Admin admin = JavaClients.admin(broker)) {
                    assertThat(admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS)
                            .get(group).partitionAssignor())
                            .isEqualTo(assignor.substring(GroupMemberMain.CONSUMER_PROTOCOL_PREFIX.length()));
                }
            }

            // when a producer writes (staying at most 2,000 records ahead of the group), one member leaves cleanly
            // after a quarter of the records and another joins after half
            Future<?> producing = producerThread.submit(() -> produceKeyed(broker, topic, count, ledger));
            awaitDistinct(ledger, count / 4);
            members.get(1).close();
            awaitDistinct(ledger, count / 2);
            members.add(new GroupMember("d", broker, group, topic, config, ledger).start());
            producing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            awaitDistinct(ledger, count);
            awaitStableAssignment(ledger, Set.of("a", "c", "d"), topic, assignor);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            producerThread.shutdownNow();
            closeAll(members, failure);
        }

        // then every record was consumed exactly once (commits after every batch and before every revocation) and no
        // partition had two owners in one generation
        assertEveryOffsetConsumed(broker, topic, ledger);
        assertThat(ledger.consumedCount()).as("records consumed, counting re-reads").isEqualTo(count);
        assertThat(ledger.overlappingOwnership()).as("assignments and releases in order: %s", ledger.history())
                .isEmpty();
        if (isClassic(assignor)) {
            // generation labels are exact with the classic protocol only (see GroupLedger#overlappingOwnership)
            assertThat(ledger.sharedOwnership()).isEmpty();
            assertThat(ledger.sharedConsumption()).isEmpty();
        }
        assertThat(ledger.assignments()).as("the late member got partitions")
                .anySatisfy(a -> assertThat(a.member()).isEqualTo("d"))
                .filteredOn(a -> a.member().equals("d")).anySatisfy(a -> assertThat(a.partitions()).isNotEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {CLASSIC_RANGE, CLASSIC_COOPERATIVE, CONSUMER_UNIFORM, CONSUMER_RANGE})
    void shouldGiveKilledMembersPartitionsToSurvivorsWhenItsSessionTimesOut(String assignor, BrookBroker broker)
            throws Exception {
        // given two members in this JVM and one in a child JVM, all in one group
        String topic = JavaClients.uniqueTopic("group-kill");
        String group = JavaClients.uniqueGroup("kill");
        JavaClients.createTopic(broker, topic, PARTITIONS);
        GroupLedger ledger = new GroupLedger(Integer.MAX_VALUE / 2);
        Map<String, Object> config = memberConfig(assignor);
        List<GroupMember> members = new ArrayList<>();
        ExternalCommand.Running doomed = null;
        Throwable failure = null;
        int half = 6_000;
        try {
            members.add(new GroupMember("a", broker, group, topic, config, ledger).start());
            members.add(new GroupMember("b", broker, group, topic, config, ledger).start());
            awaitStableAssignment(ledger, Set.of("a", "b"), topic, assignor);
            doomed = KafkaTool.command(GroupMemberMain.class.getName(), broker.bootstrapServers(), group, topic,
                    Integer.toString(SESSION_TIMEOUT_MS), assignorArgument(assignor)).start();
            ExternalCommand.Running child = doomed;
            Awaitility.await("the child member has partitions and the others gave them up").atMost(WAIT)
                    .until(() -> !childPartitions(child.stdoutSoFar()).isEmpty() && ledger.latestAssignments()
                            .values().stream().mapToInt(a -> a.partitions().size()).sum() < PARTITIONS);
            Set<Integer> childOwned = childPartitions(child.stdoutSoFar());
            produceKeyed(broker, topic, half, null);
            Awaitility.await("the child member consumed records").atMost(WAIT)
                    .until(() -> child.stdoutSoFar().contains("\nR "));

            // when the child is killed (SIGKILL: no LeaveGroup) and the producer keeps writing
            doomed.destroy();
            produceKeyed(broker, topic, half, null);

            // then after its session timeout the survivors own every partition, including the dead member's
            Awaitility.await("survivors own all partitions").atMost(WAIT).until(() -> {
                Map<String, GroupLedger.Assignment> latest = ledger.latestAssignments();
                return latest.size() == 2 && (!isClassic(assignor) || latest.values().stream()
                        .map(GroupLedger.Assignment::generation).distinct().count() == 1)
                        && latest.values().stream().mapToInt(a -> a.partitions().size()).sum() == PARTITIONS;
            });
            assertThat(childOwned).isNotEmpty();
            // and nothing is lost: what the child printed (it prints before committing) plus what survivors read
            for (String line : child.stdoutSoFar().split("\n")) {
                String[] fields = line.split(" ");
                if (fields.length == 3 && fields[0].equals("R")) {
                    ledger.consumed("child", -1, new TopicPartition(topic, Integer.parseInt(fields[1])),
                            Long.parseLong(fields[2]));
                }
            }
            Awaitility.await("every record consumed").atMost(WAIT).until(() -> ledger.distinctCount() == 2 * half);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            if (doomed != null) {
                doomed.destroy();
            }
            closeAll(members, failure);
        }
        assertEveryOffsetConsumed(broker, topic, ledger);
        assertThat(ledger.overlappingOwnership()).as("history %s", ledger.history()).isEmpty();
        if (isClassic(assignor)) {
            assertThat(ledger.sharedOwnership()).isEmpty();
        }
    }

    /** Closes every member; when the test already failed, close failures are attached to that failure. */
    private static void closeAll(List<GroupMember> members, Throwable failure) {
        AssertionError closeFailure = null;
        for (GroupMember member : members) {
            try {
                member.close();
            } catch (AssertionError e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else if (closeFailure == null) {
                    closeFailure = e;
                }
            }
        }
        if (closeFailure != null) {
            throw closeFailure;
        }
    }

    private static boolean isClassic(String assignor) {
        return assignor.startsWith("classic-");
    }

    private static String assignorArgument(String assignor) {
        return switch (assignor) {
            case CLASSIC_RANGE -> RangeAssignor.class.getName();
            case CLASSIC_COOPERATIVE -> CooperativeStickyAssignor.class.getName();
            default -> assignor;
        };
    }

    /**
     * Classic members choose their assignor, session timeout and heartbeat interval; consumer-protocol members only
     * name a server assignor (the broker's overrides set the session timeout and heartbeat interval).
     */
    private static Map<String, Object> memberConfig(String assignor) {
        Map<String, Object> config = new HashMap<>();
        if (isClassic(assignor)) {
            config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignorArgument(assignor));
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
            config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        } else {
            config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
            config.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG,
                    assignor.substring(GroupMemberMain.CONSUMER_PROTOCOL_PREFIX.length()));
        }
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        return config;
    }

    private static Set<Integer> childPartitions(String stdout) {
        String last = null;
        for (String line : stdout.split("\n")) {
            if (line.startsWith("A ")) {
                last = line;
            }
        }
        if (last == null) {
            return Set.of();
        }
        String[] fields = last.split(" ");
        return fields.length < 3
                ? Set.of()
                : Arrays.stream(fields[2].split(",")).map(Integer::valueOf).collect(Collectors.toSet());
    }

    /**
     * Waits until exactly {@code names} report assignments covering every partition once: of one generation with the
     * classic protocol (with the consumer protocol a member whose partitions do not change is not told its new epoch
     * through the rebalance listener, so epochs may differ).
     */
    private static void awaitStableAssignment(GroupLedger ledger, Set<String> names, String topic, String assignor) {
        Awaitility.await("members " + names + " share all partitions").atMost(WAIT).until(() -> {
            Map<String, GroupLedger.Assignment> latest = new HashMap<>(ledger.latestAssignments());
            latest.keySet().retainAll(names);
            if (!latest.keySet().equals(names) || (isClassic(assignor)
                    && latest.values().stream().map(GroupLedger.Assignment::generation).distinct().count() != 1)) {
                return false;
            }
            Set<TopicPartition> union = new HashSet<>();
            latest.values().forEach(a -> union.addAll(a.partitions()));
            int total = latest.values().stream().mapToInt(a -> a.partitions().size()).sum();
            boolean everyoneHasSome = latest.values().stream().noneMatch(a -> a.partitions().isEmpty());
            return total == PARTITIONS && everyoneHasSome
                    && union.equals(Set.copyOf(JavaClients.partitions(topic, PARTITIONS)));
        });
    }

    private static void awaitDistinct(GroupLedger ledger, int count) {
        Awaitility.await(count + " distinct records consumed").atMost(WAIT)
                .until(() -> ledger.distinctCount() >= count);
    }

    /** Writes {@code count} keyed records; with a ledger, takes one of its progress permits per record. */
    private static Void produceKeyed(BrookBroker broker, String topic, int count, GroupLedger ledger)
            throws Exception {
        try (KafkaProducer<String, String> producer = JavaClients.producer(broker,
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 5))) {
            for (int i = 0; i < count; i++) {
                if (ledger != null && !ledger.progress().tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new AssertionError("the group consumed nothing for " + WAIT + " after " + i + " records");
                }
                producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
            }
            producer.flush();
        }
        return null;
    }

    private static void assertEveryOffsetConsumed(BrookBroker broker, String topic, GroupLedger ledger) {
        List<TopicPartition> partitions = JavaClients.partitions(topic, PARTITIONS);
        Map<TopicPartition, Long> end;
        try (KafkaConsumer<String, String> consumer = JavaClients.consumer(broker, Map.of())) {
            end = consumer.endOffsets(partitions, WAIT);
        }
        for (TopicPartition partition : partitions) {
            assertThat(ledger.offsets(partition)).as("offsets consumed from %s", partition)
                    .containsExactlyElementsOf(LongStream.range(0, end.get(partition)).boxed().toList());
        }
    }
}
