package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;

class MetadataStateMachineTest {

    private final ManualTime time = new ManualTime();

    @Test
    void shouldReachEqualImagesAndSnapshotsFromTheSameCommandsAndHoldInvariantsThroughout() {
        for (long seed = 0; seed < 12; seed++) {
            MetadataStateMachine first = new MetadataStateMachine(time, 9000);
            MetadataStateMachine second = new MetadataStateMachine(time, 9000);
            MetadataStateMachine restored = null;
            RandomCommands commands = new RandomCommands(seed);
            long lastProducerId = 0;
            for (long index = 1; index <= 400; index++) {
                byte[] command = MetadataCodec.encode(commands.next(first.image()));
                byte[] reply = first.apply(index, command);

                assertThat(second.apply(index, command)).as("seed %d index %d", seed, index).isEqualTo(reply);
                if (restored != null) {
                    restored.apply(index, command);
                }
                checkInvariants(first.image());
                assertThat(first.image().nextProducerId()).isGreaterThanOrEqualTo(lastProducerId);
                lastProducerId = first.image().nextProducerId();
                if (index == 200) {
                    restored = new MetadataStateMachine(time, 9000);
                    restored.restore(first.snapshot());
                }
            }
            assertThat(second.image()).isEqualTo(first.image());
            assertThat(restored.image()).isEqualTo(first.image());
            assertThat(second.snapshot()).isEqualTo(first.snapshot());
            assertThat(restored.snapshot()).isEqualTo(first.snapshot());
            assertThat(first.image().topicsByName()).as("seed %d made topics", seed).isNotEmpty();
        }
    }

    @Test
    void shouldRoundTripTheWholeImageThroughASnapshot() {
        MetadataStateMachine machine = new MetadataStateMachine(time, 9000);
        long index = 0;
        for (MetadataCommand command : List.of(
                new MetadataCommand.RegisterBroker(1, Uuid.randomUuid(), List.of(
                        new io.brook.metadata.Endpoint("PLAINTEXT", "h1", 9092, "PLAINTEXT")), "r1"),
                new MetadataCommand.UnfenceBroker(1, 1),
                new MetadataCommand.RegisterBroker(2, Uuid.randomUuid(), List.of(), null),
                new MetadataCommand.CreateTopics(List.of(new MetadataCommand.NewTopic("t", Uuid.randomUuid(), 3,
                        (short) 1, Map.of(), Map.of("retention.ms", "10"))), 1),
                new MetadataCommand.AlterBrokerConfigs(Map.of("log.retention.ms", "7"), List.of(), false),
                new MetadataCommand.AllocateProducerIds(1, 1, 1000), new MetadataCommand.SetVoters(List.of(1, 2)),
                new MetadataCommand.AlterScramCredentials(List.of(new MetadataCommand.ScramUpsertion("alice",
                        "SCRAM-SHA-512", new io.brook.metadata.ScramUserCredential("c2FsdA==", "a2V5", "c2s=", 8192))),
                        List.of()))) {
            machine.apply(++index, MetadataCodec.encode(command));
        }
        MetadataStateMachine copy = new MetadataStateMachine(time, 9000);

        copy.restore(machine.snapshot());

        assertThat(copy.image()).isEqualTo(machine.image());
        assertThat(copy.lastAppliedIndex()).isEqualTo(8);
        assertThat(copy.image().scramCredential("alice", "SCRAM-SHA-512")).map(c -> c.iterations()).hasValue(8192);
        assertThat(copy.image().nextProducerId()).isEqualTo(1000);
        assertThat(copy.image().voters()).containsExactlyInAnyOrder(1, 2);
        assertThat(copy.image().topic("t").orElseThrow().partitions()).hasSize(3);
        CommandReply.ProducerIdBlock next = (CommandReply.ProducerIdBlock) MetadataCodec.decodeReply(copy.apply(9,
                MetadataCodec.encode(new MetadataCommand.AllocateProducerIds(1, 1, 1000))));
        assertThat(next.firstProducerId()).as("never reused after a restore").isEqualTo(1000);
    }

    @Test
    void shouldHandEveryAppliedImageWithItsIndexToTheSinkInOrder() {
        List<Long> indexes = new ArrayList<>();
        List<MetadataImage> seen = new ArrayList<>();
        MetadataStateMachine machine = new MetadataStateMachine(time, 9000, (index, image) -> {
            indexes.add(index);
            seen.add(image);
        });

        machine.apply(1, MetadataCodec.encode(new MetadataCommand.RegisterBroker(1, Uuid.randomUuid(), List.of(),
                null)));
        byte[] refused = machine.apply(2, MetadataCodec.encode(new MetadataCommand.UnfenceBroker(1, 99)));
        machine.apply(3, MetadataCodec.encode(new MetadataCommand.UnfenceBroker(1, 1)));

        assertThat(((CommandReply.Failed) MetadataCodec.decodeReply(refused)).error())
                .isEqualTo(Errors.STALE_BROKER_EPOCH);
        assertThat(indexes).containsExactly(1L, 2L, 3L);
        assertThat(seen.get(1)).as("a refused command leaves the image as it was").isSameAs(seen.get(0));
        assertThat(seen.get(2)).isNotSameAs(seen.get(1)).isSameAs(machine.image());
        assertThat(machine.lastAppliedIndex()).isEqualTo(3);
    }

    @Test
    void shouldAnswerHeartbeatQueriesAndFenceBrokersThatStopHeartbeating() {
        MetadataStateMachine machine = new MetadataStateMachine(time, 9000);
        machine.apply(1, MetadataCodec.encode(new MetadataCommand.RegisterBroker(1, Uuid.randomUuid(), List.of(),
                null)));
        MetadataQuery.HeartbeatAnswer answer = (MetadataQuery.HeartbeatAnswer) MetadataCodec.decodeAnswer(machine
                .query(MetadataCodec.encode(new MetadataQuery.BrokerHeartbeat(1, 1, 1, false, false))));
        assertThat(answer.commandToSubmit()).isEqualTo(new MetadataCommand.UnfenceBroker(1, 1));
        machine.apply(2, MetadataCodec.encode(answer.commandToSubmit()));

        time.sleep(BrokerHeartbeats.DEFAULT_HEARTBEAT_INTERVAL_MS);
        machine.query(MetadataCodec.encode(new MetadataQuery.BrokerHeartbeat(1, 1, 2, false, false)));
        time.sleep(9000);
        assertThat(machine.expiredSessions()).isEmpty();
        time.sleep(1);

        assertThat(machine.expiredSessions()).containsExactly(new MetadataCommand.FenceBroker(1, 1));
    }

    /** What must hold after every command, whatever the sequence. */
    private static void checkInvariants(MetadataImage image) {
        assertThat(image.topicsById()).hasSameSizeAs(image.topicsByName());
        for (TopicImage topic : image.topicsByName().values()) {
            assertThat(image.topicsById().get(topic.id())).isEqualTo(topic);
            assertThat(topic.partitions()).hasSize(topic.partitionCount());
            for (PartitionRegistration p : topic.partitions().values()) {
                Set<Integer> replicas = new HashSet<>(p.replicas());
                assertThat(replicas).as("%s", p).hasSameSizeAs(p.replicas()).containsAll(p.isr())
                        .containsAll(p.addingReplicas()).containsAll(p.removingReplicas());
                assertThat(p.isr()).as("%s", p).isNotEmpty().doesNotHaveDuplicates();
                if (p.hasLeader()) {
                    assertThat(p.isr()).as("%s", p).contains(p.leader());
                    for (int member : p.isr()) {
                        assertThat(image.broker(member).map(BrokerRegistration::eligible)).as("%s in %s", member, p)
                                .contains(true);
                    }
                }
            }
        }
    }
}
