package io.brook.broker.handlers.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import io.brook.broker.group.ConsumerGroupConfig;
import io.brook.broker.group.GroupConfig;
import io.brook.broker.group.GroupRecord;
import io.brook.broker.group.GroupRecord.CommittedOffset;
import io.brook.broker.group.GroupRecord.GroupMetadata;
import io.brook.broker.group.GroupRecord.GroupSnapshot;
import io.brook.broker.group.GroupRecord.MemberSnapshot;
import io.brook.broker.group.GroupRecord.OffsetCommit;
import io.brook.broker.group.GroupRecordCodec;
import io.brook.broker.group.GroupShard;
import io.brook.broker.group.GroupState;
import io.brook.broker.testing.ClusterMetadataStore;
import io.brook.broker.testing.FakeLogManager;
import io.brook.broker.testing.FakePartitionLog;
import io.brook.broker.testing.ForwardingPartitionLog;
import io.brook.broker.testing.InMemoryMetadataStore;
import io.brook.broker.testing.ManualTime;
import io.brook.broker.testing.TestPartitionWriter;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataStore;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;
import io.brook.storage.FetchIsolation;
import io.brook.storage.LogConfig;
import io.brook.storage.LogManager;
import io.brook.storage.LogReadResult;
import io.brook.storage.PartitionLog;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The coordinator runtime over in-memory logs whose durability the test drives and a manual clock: load from the
 * log, the load-in-progress window, answering only once durable, failures that must still answer, timers and close.
 * Every wait is bounded; the owner thread is real, so "after the command ran" is observed by a later read on the same
 * thread (commands run in order).
 */
@Timeout(30)
class GroupCoordinatorTest {

    private static final String OFFSETS = Topic.GROUP_METADATA_TOPIC_NAME;
    private static final GroupConfig CONFIG = new GroupConfig(10, 1_800_000, 0, Integer.MAX_VALUE,
            7L * 24 * 60 * 60 * 1000, 600_000, 4096);

    private final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    private final FakeLogManager fakeLogs = new FakeLogManager();
    private final ManualTime time = new ManualTime();
    private final TestPartitionWriter writer = new TestPartitionWriter(fakeLogs);
    private GroupCoordinator coordinator;

    @AfterEach
    void close() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    // ---------------------------------------------------------------- load

    @Test
    void shouldRestoreExactlyTheDurableStateWhenLoadingOffsetsGroupsAndTombstones() throws Exception {
        offsetsTopic(1);
        TopicPartition t0 = new TopicPartition("orders", 0);
        TopicPartition t1 = new TopicPartition("orders", 1);
        MemberSnapshot member = new MemberSnapshot("m-1", null, "client", "/127.0.0.1", 300_000, 45_000,
                new byte[]{1}, new byte[]{2});
        append(0, commit("kept", t0, 10), commit("kept", t1, 11), commit("kept", t0, 12),
                new OffsetCommit("kept", t1, null),
                new GroupMetadata("kept", new GroupSnapshot("consumer", 3, "range", "m-1", 5, List.of(member))),
                commit("deleted", t0, 7), new GroupMetadata("deleted", null),
                new GroupMetadata("empty", new GroupSnapshot("consumer", 1, null, null, 5, List.of())),
                commit("empty", t1, 4));

        start();

        OffsetFetchResponseGroup kept = fetch("kept");
        assertThat(kept.errorCode()).isZero();
        assertThat(offsets(kept)).containsExactly(Map.entry("orders-0", 12L));
        assertThat(offsets(fetch("deleted"))).isEmpty();
        assertThat(offsets(fetch("empty"))).containsExactly(Map.entry("orders-1", 4L));
        DescribedGroup described = read("kept", (shard, now) -> shard.describe("kept"));
        assertThat(described.groupState()).isEqualTo(GroupState.STABLE.wireName());
        assertThat(described.protocolData()).isEqualTo("range");
        assertThat(described.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo("m-1");
            assertThat(m.memberAssignment()).containsExactly(2);
        });
        assertThat(listAll()).extracting(ListedGroup::groupId, ListedGroup::groupState).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("kept", "Stable"),
                org.assertj.core.groups.Tuple.tuple("empty", "Empty"));
    }

    @Test
    void shouldAnswerLoadInProgressForPartitionsNotLoadedYetAndServeLoadedOnesMeanwhile() throws Exception {
        offsetsTopic(3);
        String g0 = groupOn(0, 3);
        String g1 = groupOn(1, 3);
        String g2 = groupOn(2, 3);
        append(0, commit(g0, new TopicPartition("t", 0), 1));
        append(1, commit(g1, new TopicPartition("t", 0), 2));
        append(2, commit(g2, new TopicPartition("t", 0), 3));
        GatedLogs logs = new GatedLogs(fakeLogs, new TopicPartition(OFFSETS, 1));
        coordinator = new GroupCoordinator(metadata, logs, new TestPartitionWriter(logs), CONFIG, 3, time);
        coordinator.start();
        assertThat(logs.entered.await(10, TimeUnit.SECONDS)).as("partition 1 started loading").isTrue();

        // Partition 0 is loaded, partition 1 is loading (held by the gate), partition 2 waits its turn. The owner
        // thread runs one task at a time: requests that arrive during partition 1's load are answered as soon as it
        // ends, before partition 2's load starts.
        CompletableFuture<OffsetFetchResponseGroup> onLoaded = fetchAsync(g0);
        CompletableFuture<OffsetFetchResponseGroup> onLoading = fetchAsync(g1);
        CompletableFuture<OffsetFetchResponseGroup> onWaiting = fetchAsync(g2);
        CompletableFuture<List<ListedGroup>> listed = coordinator.readAll(shard -> shard.list(Set.of(), Set.of()),
                error -> List.of(new ListedGroup().setGroupId("error:" + error.name())));
        logs.release.countDown();

        assertThat(offsets(get(onLoaded))).containsExactly(Map.entry("t-0", 1L));
        assertThat(offsets(get(onLoading))).containsExactly(Map.entry("t-0", 2L));
        assertThat(get(onWaiting).errorCode()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
        assertThat(get(listed)).extracting(ListedGroup::groupId).containsExactly("error:COORDINATOR_LOAD_IN_PROGRESS");
        // Once every partition is loaded, all answer.
        assertThat(offsets(fetch(g2))).containsExactly(Map.entry("t-0", 3L));
        assertThat(listAll()).extracting(ListedGroup::groupId).containsExactlyInAnyOrder(g0, g1, g2);
    }

    @Test
    void shouldFailOnlyThatPartitionWithNotCoordinatorWhenARecordIsCorrupt() throws Exception {
        offsetsTopic(2);
        String broken = groupOn(0, 2);
        String healthy = groupOn(1, 2);
        append(0, commit(broken, new TopicPartition("t", 0), 1));
        byte[] key = GroupRecordCodec.key(commit(broken, new TopicPartition("t", 1), 1));
        byte[] truncatedValue = {0, 0, 0, 0}; // version 0, then an offset cut short
        appendRaw(0, new SimpleRecord(time.milliseconds(), key, truncatedValue));
        append(1, commit(healthy, new TopicPartition("t", 0), 5));

        start();

        assertThat(fetch(broken).errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
        assertThat(offsets(fetch(healthy))).containsExactly(Map.entry("t-0", 5L));
        // ListGroups leaves out the partition it cannot coordinate, as Kafka does, instead of failing.
        assertThat(listAll()).extracting(ListedGroup::groupId).containsExactly(healthy);
        OffsetCommitResponseData commit = get(commitAsync(broken, 9));
        assertThat(commit.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
    }

    @Test
    void shouldSkipARecordOfAnUnknownKeyTypeAndLoadTheRest() throws Exception {
        offsetsTopic(1);
        append(0, commit("g", new TopicPartition("t", 0), 1));
        byte[] futureKey = ByteBuffer.allocate(5).putShort((short) 99).putShort((short) 1).put((byte) 'g').array();
        appendRaw(0, new SimpleRecord(time.milliseconds(), futureKey, new byte[]{0, 0, 42}));
        append(0, commit("g", new TopicPartition("t", 1), 2));

        start();

        assertThat(offsets(fetch("g"))).containsOnly(Map.entry("t-0", 1L), Map.entry("t-1", 2L));
    }

    // ---------------------------------------------------------------- writes

    @Test
    void shouldAnswerACommitOnlyOnceItsRecordsAreDurable() throws Exception {
        offsetsTopic(1);
        start();
        FakePartitionLog log = fakeLogs.log(new TopicPartition(OFFSETS, 0));

        CompletableFuture<OffsetCommitResponseData> commit = commitAsync("g", 42);
        OffsetFetchResponseGroup seen = fetch("g"); // the commit ran before this read

        assertThat(commit).isNotDone();
        assertThat(offsets(seen)).containsExactly(Map.entry("t-0", 42L));
        assertThat(log.durabilityRequests()).containsExactly(1L);
        log.makeDurableUpTo(1);
        assertThat(get(commit).topics().get(0).partitions().get(0).errorCode()).isZero();
    }

    @Test
    void shouldFailTheResponseWithNotCoordinatorWhenTheAppendFails() throws Exception {
        offsetsTopic(1);
        start();
        FakePartitionLog log = fakeLogs.log(new TopicPartition(OFFSETS, 0));
        log.failNextAppend(new KafkaStorageException("disk gone"));

        CompletableFuture<OffsetCommitResponseData> failed = commitAsync("g", 1);

        assertThatThrownBy(() -> get(failed)).hasCauseInstanceOf(NotCoordinatorException.class);
        assertThat(offsets(fetch("g"))).as("nothing replayed").isEmpty();
        log.makeDurableUpTo(Long.MAX_VALUE);
        assertThat(get(commitAsync("g", 2)).topics().get(0).partitions().get(0).errorCode()).isZero();
    }

    @Test
    void shouldAnswerNotCoordinatorForGroupsOfAPartitionWhoseLogDirIsOfflineAndKeepServingTheOthers()
            throws Exception {
        offsetsTopic(2);
        start();
        String onZero = groupOnPartition(0);
        String onOne = groupOnPartition(1);
        fakeLogs.log(new TopicPartition(OFFSETS, 0)).setOffline();

        CompletableFuture<OffsetCommitResponseData> refused = commitAsync(onZero, 1);

        assertThat(get(refused).topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.NOT_COORDINATOR.code());
        fakeLogs.log(new TopicPartition(OFFSETS, 1)).makeDurableUpTo(Long.MAX_VALUE);
        assertThat(get(commitAsync(onOne, 1)).topics().get(0).partitions().get(0).errorCode()).isZero();
    }

    private static String groupOnPartition(int partition) {
        for (int i = 0;; i++) {
            if (GroupCoordinator.partitionFor("g" + i, 2) == partition) {
                return "g" + i;
            }
        }
    }

    @Test
    void shouldFailTheResponseWhenDurabilityFails() throws Exception {
        offsetsTopic(1);
        start();
        FakePartitionLog log = fakeLogs.log(new TopicPartition(OFFSETS, 0));

        CompletableFuture<OffsetCommitResponseData> pending = commitAsync("g", 1);
        fetch("g");
        log.failDurability(new KafkaStorageException("fsync failed"));

        assertThatThrownBy(() -> get(pending)).hasCauseInstanceOf(NotCoordinatorException.class);
    }

    @Test
    void shouldStillAnswerWhenACommandThrowsAndKeepServing() throws Exception {
        offsetsTopic(1);
        start();

        CompletableFuture<Object> broken = coordinator.write("g", (shard, now, response) -> {
            throw new IllegalStateException("bug");
        }, error -> null);

        assertThatThrownBy(() -> get(broken)).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(fetch("g").errorCode()).isZero();
    }

    // ---------------------------------------------------------------- replication (through the PartitionWriter)

    @Test
    void shouldAnswerACommitOnlyOnceTheWriterSaysItIsCommitted() throws Exception {
        offsetsTopic(1);
        start();
        FakePartitionLog log = fakeLogs.log(new TopicPartition(OFFSETS, 0));
        writer.holdCommits();

        CompletableFuture<OffsetCommitResponseData> commit = commitAsync("g", 42);
        log.makeDurableUpTo(Long.MAX_VALUE);
        listAll(); // the commit ran before this

        assertThat(commit).as("durable here, but not on the other in-sync replicas").isNotDone();
        writer.releaseCommits();
        assertThat(get(commit).topics().get(0).partitions().get(0).errorCode()).isZero();
    }

    @Test
    void shouldAnswerCoordinatorNotAvailableAndChangeNothingWhenTheIsrIsBelowMinInsyncReplicas() throws Exception {
        offsetsTopic(1);
        start();
        writer.refuseAppendsWith(new NotEnoughReplicasException("ISR [1] is below min.insync.replicas 2"));

        CompletableFuture<OffsetCommitResponseData> refused = commitAsync("g", 7);

        assertThatThrownBy(() -> get(refused)).hasCauseInstanceOf(CoordinatorNotAvailableException.class);
        assertThat(offsets(fetch("g"))).as("nothing written, nothing replayed").isEmpty();
    }

    @Test
    void shouldMapEachReplicationFailureToTheErrorKafkasCoordinatorAnswers() throws Exception {
        offsetsTopic(1);
        start();
        fakeLogs.log(new TopicPartition(OFFSETS, 0)).makeDurableUpTo(Long.MAX_VALUE);
        Map<Throwable, Class<? extends Throwable>> expected = new java.util.LinkedHashMap<>();
        expected.put(new NotEnoughReplicasAfterAppendException("ISR shrank"), CoordinatorNotAvailableException.class);
        expected.put(new org.apache.kafka.common.errors.TimeoutException("ISR too slow"),
                CoordinatorNotAvailableException.class);
        expected.put(new NotLeaderOrFollowerException("leadership moved"), NotCoordinatorException.class);
        expected.put(new KafkaStorageException("fsync failed"), NotCoordinatorException.class);

        for (Map.Entry<Throwable, Class<? extends Throwable>> failure : expected.entrySet()) {
            writer.holdCommits();
            CompletableFuture<OffsetCommitResponseData> commit = commitAsync("g", 1);
            listAll();
            writer.failCommits(failure.getKey());
            assertThatThrownBy(() -> get(commit)).as("after %s", failure.getKey())
                    .hasCauseInstanceOf(failure.getValue());
        }
    }

    @Test
    void shouldHoldAReadUntilTheShardsLastWriteIsCommitted() throws Exception {
        offsetsTopic(1);
        start();
        FakePartitionLog log = fakeLogs.log(new TopicPartition(OFFSETS, 0));
        log.holdHighWatermarkAt(0);
        writer.holdCommits();

        CompletableFuture<OffsetCommitResponseData> commit = commitAsync("g", 42);
        CompletableFuture<OffsetFetchResponseGroup> read = fetchAsync("g");
        listAll(); // both ran before this

        assertThat(read).as("it would show a commit the followers may not have").isNotDone();
        log.releaseHighWatermark();
        writer.releaseCommits();
        assertThat(offsets(get(read))).containsExactly(Map.entry("t-0", 42L));
        assertThat(commit).isCompleted();

        // A read whose wait fails answers NOT_COORDINATOR, as Kafka's OffsetFetch does for a replication timeout.
        log.holdHighWatermarkAt(log.logEndOffset());
        writer.holdCommits();
        commitAsync("g", 43);
        CompletableFuture<OffsetFetchResponseGroup> failedRead = fetchAsync("g");
        listAll();
        writer.failCommits(new org.apache.kafka.common.errors.TimeoutException("ISR too slow"));
        assertThat(get(failedRead).errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
    }

    @Test
    void shouldLoadRecordsBeyondTheHighWatermarkAndAnswerOnceTheyAreCommitted() throws Exception {
        // A new leader's log ends with writes its old leader had committed; its high watermark learns so later.
        offsetsTopic(1);
        append(0, commit("g", new TopicPartition("t", 0), 5), commit("g", new TopicPartition("t", 0), 6));
        FakePartitionLog log = fakeLogs.log(new TopicPartition(OFFSETS, 0));
        log.holdHighWatermarkAt(1);
        writer.holdCommits();

        start();
        CompletableFuture<OffsetFetchResponseGroup> read = fetchAsync("g");
        listAll();

        assertThat(read).isNotDone();
        log.releaseHighWatermark();
        writer.releaseCommits();
        assertThat(offsets(get(read))).containsExactly(Map.entry("t-0", 6L));
    }

    @Test
    void shouldRevertARebalanceToTheLogWhenItsGroupRecordIsRefused() throws Exception {
        offsetsTopic(1);
        start();
        fakeLogs.log(new TopicPartition(OFFSETS, 0)).makeDurableUpTo(Long.MAX_VALUE);
        JoinGroupResponseData joined = get(joinAsync("g"));
        assertThat(joined.errorCode()).isZero();
        writer.refuseAppendsWith(new NotEnoughReplicasException("ISR [1] is below min.insync.replicas 2"));

        // The leader's SyncGroup makes the group Stable and writes its snapshot, which is refused.
        SyncGroupRequestData sync = new SyncGroupRequestData().setGroupId("g").setMemberId(joined.memberId())
                .setGenerationId(joined.generationId()).setProtocolType("consumer").setProtocolName("range")
                .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                        .setMemberId(joined.memberId()).setAssignment(new byte[]{1})));
        CompletableFuture<SyncGroupResponseData> synced = coordinator.write("g",
                (shard, now, response) -> shard.sync(sync, now, response),
                error -> new SyncGroupResponseData().setErrorCode(error.code()));

        assertThatThrownBy(() -> get(synced)).hasCauseInstanceOf(CoordinatorNotAvailableException.class);
        // The shard was reloaded from its log, where the group never got to: no Stable group with that assignment.
        assertThat(this.<Optional<GroupState>>read("g", (shard, now) -> shard.state("g"))).isEmpty();
        writer.refuseAppendsWith(null);
        assertThat(get(joinAsync("g")).errorCode()).isZero();
    }

    // ---------------------------------------------------------------- timers and close

    @Test
    void shouldEvictAMemberWhenItsSessionExpiresThroughTheScheduledWakeup() throws Exception {
        offsetsTopic(1);
        start();
        JoinGroupRequestData join = new JoinGroupRequestData().setGroupId("g").setMemberId("")
                .setProtocolType("consumer").setSessionTimeoutMs(50).setRebalanceTimeoutMs(60_000)
                .setProtocols(new JoinGroupRequestProtocolCollection(List.of(
                        new JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0])).iterator()));
        CompletableFuture<JoinGroupResponseData> joined = coordinator.write("g",
                (shard, now, response) -> shard.join(join, (short) 3, "client", "/127.0.0.1", now, response),
                error -> new JoinGroupResponseData().setErrorCode(error.code()));
        assertThat(get(joined).errorCode()).isZero();
        List<String> members = read("g", (shard, now) -> shard.memberIds("g"));
        assertThat(members).hasSize(1);

        time.sleep(51);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> this.<List<String>>read("g", (shard, now) -> shard.memberIds("g")).isEmpty());
    }

    @Test
    void shouldAnswerQueuedCommandsAndNotHangWhenClosed() throws Exception {
        offsetsTopic(1);
        start();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> blocker = read("g", (shard, now) -> {
            holding.countDown();
            try {
                return release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, false);
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<OffsetFetchResponseGroup>> queued = IntStream.range(0, 20)
                .mapToObj(i -> fetchAsync("g" + i)).toList();

        CompletableFuture<Void> closed = CompletableFuture.runAsync(coordinator::close);
        // Once close() has begun, new requests are refused; only then let the queued ones run.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(this::refusesRequests);
        release.countDown();

        closed.get(10, TimeUnit.SECONDS);
        assertThat(get(blocker)).isTrue();
        assertThat(queued).allSatisfy(f -> assertThat(get(f).errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code()));
        assertThatThrownBy(() -> fetchAsync("late")).isInstanceOf(NotCoordinatorException.class);
    }

    // ---------------------------------------------------------------- leadership in a cluster

    @Test
    void shouldFindTheCoordinatorOnABrokerThatDoesNotLeadTheGroupsPartition() throws Exception {
        try (ClusterMetadataStore cluster = new ClusterMetadataStore()) {
            // Another broker created __consumer_offsets; broker 2 leads its only partition, this is broker 1.
            TopicImage offsets = new TopicImage(OFFSETS, Uuid.randomUuid(), 1, (short) 3,
                    Map.of("cleanup.policy", "compact"), Map.of(0, new PartitionRegistration(List.of(2, 1, 3),
                            List.of(2, 1, 3), List.of(), List.of(), 2, 0, 0)));
            cluster.edit(image -> new MetadataImage(Map.of(OFFSETS, offsets), Map.of(offsets.id(), offsets),
                    image.brokerConfigs(), image.brokers(), image.nextProducerId(), image.voters()));
            fakeLogs.getOrCreate(new TopicPartition(OFFSETS, 0), LogConfig.defaults());
            coordinator = new GroupCoordinator(cluster.view(1), 1, fakeLogs, writer, CONFIG,
                    ConsumerGroupConfig.defaults(), 1, (short) 3, GroupCoordinator.DEFAULT_WRITE_TIMEOUT_MS, time);
            coordinator.start();

            // Any broker answers FindCoordinator (with the leader, which the handler names); a client that asked
            // this one must not be told COORDINATOR_NOT_AVAILABLE forever. The group's own requests go to the
            // leader: here they answer NOT_COORDINATOR.
            assertThat(get(coordinator.ensureCoordinator("g"))).isEqualTo(Errors.NONE);
            assertThat(fetch("g").errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());

            // Once leadership moves here, this broker serves the group.
            cluster.setPartition(OFFSETS, 0, r -> new PartitionRegistration(r.replicas(), r.isr(), List.of(),
                    List.of(), 1, 1, 1));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> fetch("g").errorCode() == Errors.NONE.code());
            assertThat(get(coordinator.ensureCoordinator("g"))).isEqualTo(Errors.NONE);
        }
    }

    @Test
    void shouldAnswerCoordinatorNotAvailableWithoutAnErrorLineAndCreateOnTheNextLookupWhenCreationTimedOut()
            throws Exception {
        // The first CreateTopics of __consumer_offsets times out (every node creating 50 logs on a busy machine).
        AtomicInteger creations = new AtomicInteger();
        MetadataStore slowOnce = (MetadataStore) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[]{MetadataStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("createTopic") && creations.getAndIncrement() == 0) {
                        throw new org.apache.kafka.common.errors.TimeoutException("submit timed out");
                    }
                    try {
                        return method.invoke(metadata, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        fakeLogs.getOrCreate(new TopicPartition(OFFSETS, 0), LogConfig.defaults());
        Logger logger = (Logger) LoggerFactory.getLogger(GroupCoordinator.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            coordinator = new GroupCoordinator(slowOnce, fakeLogs, writer, CONFIG, 1, time);
            coordinator.start();

            // The lookup that timed out is retriable for the client; the next one creates the topic.
            assertThat(get(coordinator.ensureCoordinator("g"))).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
            assertThat(get(coordinator.ensureCoordinator("g"))).isEqualTo(Errors.NONE);
            assertThat(metadata.image().topic(OFFSETS)).isPresent();
            assertThat(fetch("g").errorCode()).isEqualTo(Errors.NONE.code());
        } finally {
            logger.detachAppender(logged);
        }
        // A broker log's ERROR line means something an operator must look at; a retriable timeout is not that.
        assertThat(logged.list).noneMatch(e -> e.getLevel() == Level.ERROR)
                .anyMatch(e -> e.getLevel() == Level.WARN
                        && e.getFormattedMessage().contains("Could not create " + OFFSETS + " yet"));
    }

    // ---------------------------------------------------------------- helpers

    private boolean refusesRequests() {
        try {
            fetchAsync("probe");
            return false;
        } catch (NotCoordinatorException e) {
            return true;
        }
    }

    private void offsetsTopic(int partitions) {
        metadata.createTopic(OFFSETS, partitions, (short) 1, Map.of("cleanup.policy", "compact"));
        for (int p = 0; p < partitions; p++) {
            fakeLogs.getOrCreate(new TopicPartition(OFFSETS, p), LogConfig.defaults());
        }
    }

    /** Starts the coordinator and waits until no partition is still loading (loaded or failed). */
    private void start() {
        coordinator = new GroupCoordinator(metadata, fakeLogs, writer, CONFIG, 1, time);
        coordinator.start();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> get(coordinator.readAll(shard -> List.of(Errors.NONE), List::of)),
                        errors -> !errors.contains(Errors.COORDINATOR_LOAD_IN_PROGRESS));
    }

    /** A group id that {@link GroupCoordinator#partitionFor} puts on {@code partition}. */
    private static String groupOn(int partition, int partitions) {
        return IntStream.range(0, 1000).mapToObj(i -> "group-" + i)
                .filter(g -> GroupCoordinator.partitionFor(g, partitions) == partition).findFirst().orElseThrow();
    }

    private static OffsetCommit commit(String group, TopicPartition tp, long offset) {
        return new OffsetCommit(group, tp, new CommittedOffset(offset, -1, "", 1));
    }

    private void append(int partition, GroupRecord... records) {
        for (GroupRecord r : records) {
            appendRaw(partition,
                    new SimpleRecord(time.milliseconds(), GroupRecordCodec.key(r), GroupRecordCodec.value(r)));
        }
    }

    private void appendRaw(int partition, SimpleRecord record) {
        fakeLogs.log(new TopicPartition(OFFSETS, partition))
                .appendAsLeader(MemoryRecords.withRecords(Compression.NONE, record), 0);
    }

    private CompletableFuture<OffsetCommitResponseData> commitAsync(String group, long offset) {
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group)
                .setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setTopics(List.of(new OffsetCommitRequestTopic().setName("t").setPartitions(
                        List.of(new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(offset)))));
        return coordinator.write(group,
                (shard, now, response) -> shard.commitOffsets(request, (short) 9, now, response),
                error -> {
                    OffsetCommitResponseData failed = new OffsetCommitResponseData();
                    failed.topics().add(new OffsetCommitResponseData.OffsetCommitResponseTopic().setName("t")
                            .setPartitions(List.of(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                                    .setErrorCode(error.code()))));
                    return failed;
                });
    }

    private CompletableFuture<JoinGroupResponseData> joinAsync(String group) {
        JoinGroupRequestData join = new JoinGroupRequestData().setGroupId(group).setMemberId("")
                .setProtocolType("consumer").setSessionTimeoutMs(30_000).setRebalanceTimeoutMs(60_000)
                .setProtocols(new JoinGroupRequestProtocolCollection(List.of(
                        new JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0])).iterator()));
        return coordinator.write(group,
                (shard, now, response) -> shard.join(join, (short) 3, "client", "/127.0.0.1", now, response),
                error -> new JoinGroupResponseData().setErrorCode(error.code()));
    }

    private CompletableFuture<OffsetFetchResponseGroup> fetchAsync(String group) {
        return coordinator.read(group, (shard, now) -> shard.fetchOffsets(group, null),
                error -> new OffsetFetchResponseGroup().setGroupId(group).setErrorCode(error.code()));
    }

    private OffsetFetchResponseGroup fetch(String group) throws Exception {
        return get(fetchAsync(group));
    }

    private <T> T read(String group, java.util.function.BiFunction<GroupShard, Long, T> query) throws Exception {
        return get(read(group, query, null));
    }

    private <T> CompletableFuture<T> read(String group, java.util.function.BiFunction<GroupShard, Long, T> query,
            T onError) {
        return coordinator.read(group, query, error -> onError);
    }

    private List<ListedGroup> listAll() throws Exception {
        return get(coordinator.readAll(shard -> shard.list(Set.of(), Set.of()), error -> {
            throw new AssertionError("ListGroups failed with " + error);
        }));
    }

    private static Map<String, Long> offsets(OffsetFetchResponseGroup group) {
        Map<String, Long> offsets = new java.util.LinkedHashMap<>();
        group.topics().forEach(t -> {
            for (OffsetFetchResponsePartitions p : t.partitions()) {
                offsets.put(t.name() + "-" + p.partitionIndex(), p.committedOffset());
            }
        });
        return offsets;
    }

    private static <T> T get(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new java.util.concurrent.CompletionException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer within 10 s", e);
        }
    }

    /** The fake logs, except that reading one partition blocks until the test releases it. */
    private static final class GatedLogs implements LogManager {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final FakeLogManager delegate;
        private final TopicPartition gated;

        GatedLogs(FakeLogManager delegate, TopicPartition gated) {
            this.delegate = delegate;
            this.gated = gated;
        }

        @Override
        public Optional<PartitionLog> get(TopicPartition tp) {
            return delegate.get(tp).map(log -> tp.equals(gated) ? new GatedLog(log) : log);
        }

        @Override
        public PartitionLog getOrCreate(TopicPartition tp, LogConfig config) {
            return delegate.getOrCreate(tp, config);
        }

        @Override
        public void updateConfig(TopicPartition tp, LogConfig config) {
            delegate.updateConfig(tp, config);
        }

        @Override
        public void delete(TopicPartition tp) {
            delegate.delete(tp);
        }

        @Override
        public Collection<PartitionLog> all() {
            return new ArrayList<>(delegate.all());
        }

        @Override
        public Collection<String> logDirs() {
            return delegate.logDirs();
        }

        @Override
        public Optional<String> logDirOf(TopicPartition tp) {
            return delegate.logDirOf(tp);
        }

        @Override
        public void close() {
            delegate.close();
        }

        /** Blocks the first read until released. */
        private final class GatedLog extends ForwardingPartitionLog {

            GatedLog(PartitionLog log) {
                super(log);
            }

            @Override
            public LogReadResult read(long fetchOffset, int maxBytes, boolean minOneMessage,
                    FetchIsolation isolation) {
                entered.countDown();
                try {
                    if (!release.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("gate never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return delegate.read(fetchOffset, maxBytes, minOneMessage, isolation);
            }
        }
    }
}
