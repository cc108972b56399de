package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.brook.metadata.Endpoint;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.cluster.MetadataCommand.IsrMember;

/** The active controller's timers against a real state machine, with commands applied at once as a quorum would. */
class ControllerDutiesTest {

    private final MetadataStateMachine machine = new MetadataStateMachine(new ManualTime(), 9_000);
    private final AtomicLong index = new AtomicLong();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void partitionLedAwayFromItsPreferredReplicaWhileThatOneIsBackInSync() {
        for (int id = 1; id <= 2; id++) {
            long epoch = ((CommandReply.BrokerRegistered) submit(new MetadataCommand.RegisterBroker(id,
                    Uuid.randomUuid(), List.of(new Endpoint("PLAINTEXT", "localhost", 9092 + id, "PLAINTEXT")),
                    null))).brokerEpoch();
            submit(new MetadataCommand.UnfenceBroker(id, epoch));
        }
        submit(new MetadataCommand.CreateTopics(List.of(new MetadataCommand.NewTopic("t", Uuid.randomUuid(), -1,
                (short) -1, Map.of(0, List.of(1, 2)), Map.of())), 0));
        submit(new MetadataCommand.FenceBroker(1, machine.image().broker(1).orElseThrow().epoch()));
        submit(new MetadataCommand.UnfenceBroker(1, machine.image().broker(1).orElseThrow().epoch()));
        PartitionRegistration p = partition();
        assertThat(p.leader()).isEqualTo(2);
        submit(new MetadataCommand.AlterPartition(2, machine.image().broker(2).orElseThrow().epoch(),
                List.of(new MetadataCommand.PartitionIsrChange(machine.image().topic("t").orElseThrow().id(), 0,
                        p.leaderEpoch(), p.partitionEpoch(), List.of(new IsrMember(2, -1), new IsrMember(1, -1))))));
        assertThat(partition().isr()).containsExactlyInAnyOrder(1, 2);
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void shouldGiveThePartitionBackToItsPreferredLeaderInARebalancePass() {
        ControllerDuties duties = duties(300_000);

        duties.restorePreferredLeaders();

        assertThat(partition().leader()).isEqualTo(1);
    }

    @Test
    void shouldRebalanceOnItsOwnTimerWhileLeadingTheQuorum() {
        try (ControllerDuties duties = duties(50)) {
            duties.onLeadershipChange(true, 1);

            Awaitility.await("the preferred leader restored").atMost(Duration.ofSeconds(10))
                    .until(() -> partition().leader() == 1);
        }
    }

    private ControllerDuties duties(long leaderImbalanceCheckIntervalMs) {
        return new ControllerDuties(machine, command -> CompletableFuture.completedFuture(submit(command)), executor,
                60_000, List.of(1), leaderImbalanceCheckIntervalMs);
    }

    private synchronized CommandReply submit(MetadataCommand command) {
        CommandReply reply = MetadataCodec.decodeReply(
                machine.apply(index.incrementAndGet(), MetadataCodec.encode(command)));
        if (reply instanceof CommandReply.Failed failed) {
            assertThat(failed.error()).as(failed.message()).isEqualTo(Errors.NONE);
        }
        return reply;
    }

    private PartitionRegistration partition() {
        return machine.image().topic("t").orElseThrow().partition(0).orElseThrow();
    }
}
