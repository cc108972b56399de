package io.brook.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import io.brook.broker.group.MemberAssignment.State;
import io.brook.broker.group.Reconciliation.PartitionOwnership;

/** One reconciliation step, as a pure function. */
class ReconciliationTest {

    private static final Uuid T = new Uuid(0, 7);
    private static final PartitionOwnership NOBODY = (topic, p) -> -1;

    private static MemberAssignment stable(int epoch, Integer... partitions) {
        return new MemberAssignment(State.STABLE, epoch, epoch - 1, new TreeMap<>(Map.of(T, Set.of(partitions))),
                new TreeMap<>());
    }

    @Test
    void shouldRevokeFirstAndStayAtTheEpochWhenTheTargetDropsPartitions() {
        MemberAssignment next = Reconciliation.next(stable(3, 0, 1, 2), 4, Map.of(T, Set.of(0, 5)), NOBODY, null);

        assertThat(next.state()).isEqualTo(State.UNREVOKED_PARTITIONS);
        assertThat(next.memberEpoch()).isEqualTo(3);
        assertThat(next.assigned()).isEqualTo(Map.of(T, Set.of(0)));
        assertThat(next.pendingRevocation()).isEqualTo(Map.of(T, Set.of(1, 2)));
    }

    @Test
    void shouldWaitWhileTheMemberStillOwnsRevokedPartitionsThenAdvance() {
        MemberAssignment revoking = Reconciliation.next(stable(3, 0, 1), 4, Map.of(T, Set.of(0, 5)), NOBODY, null);

        assertThat(Reconciliation.next(revoking, 4, Map.of(T, Set.of(0, 5)), NOBODY, Map.of(T, Set.of(0, 1))))
                .isSameAs(revoking);
        MemberAssignment done = Reconciliation.next(revoking, 4, Map.of(T, Set.of(0, 5)), NOBODY, Map.of(T,
                Set.of(0)));
        assertThat(done.state()).isEqualTo(State.STABLE);
        assertThat(done.memberEpoch()).isEqualTo(4);
        assertThat(done.previousMemberEpoch()).isEqualTo(3);
        assertThat(done.assigned()).isEqualTo(Map.of(T, Set.of(0, 5)));
    }

    @Test
    void shouldAssumeTheMemberStillOwnsRevokedPartitionsWhenTheHeartbeatDoesNotSay() {
        MemberAssignment revoking = Reconciliation.next(stable(3, 0, 1), 4, Map.of(T, Set.of(0, 5)), NOBODY, null);

        assertThat(Reconciliation.next(revoking, 4, Map.of(T, Set.of(0, 5)), NOBODY, null)).isSameAs(revoking);
    }

    @Test
    void shouldStayAtTheEpochWhenTheTargetMovedOnAndMoreMustBeRevoked() {
        MemberAssignment revoking = Reconciliation.next(stable(3, 0, 1, 2), 4, Map.of(T, Set.of(0, 1)), NOBODY,
                null);

        // the target moved to epoch 6 and drops partition 1 too: as Kafka 4.4, the member keeps epoch 3
        MemberAssignment next = Reconciliation.next(revoking, 6, Map.of(T, Set.of(0)), NOBODY, Map.of(T,
                Set.of(0, 1)));

        assertThat(next.state()).isEqualTo(State.UNREVOKED_PARTITIONS);
        assertThat(next.memberEpoch()).isEqualTo(3);
        assertThat(next.assigned()).isEqualTo(Map.of(T, Set.of(0)));
        assertThat(next.pendingRevocation()).isEqualTo(Map.of(T, Set.of(1)));
    }

    @Test
    void shouldForgetTheOlderEpochOnceTheMemberIsAskedToRevokeAtItsEpoch() {
        // as Kafka's member builder: every step records the epoch the member was at as its previous one, so a
        // heartbeat at the older epoch is no longer accepted while the member must revoke
        MemberAssignment revoking = Reconciliation.next(stable(3, 0, 1), 4, Map.of(T, Set.of(0)), NOBODY, null);

        assertThat(revoking.memberEpoch()).isEqualTo(3);
        assertThat(revoking.previousMemberEpoch()).isEqualTo(3);
    }

    @Test
    void shouldHoldBackPartitionsAnotherMemberStillOwns() {
        PartitionOwnership fiveIsTaken = (topic, p) -> p == 5 ? 3 : -1;

        MemberAssignment next = Reconciliation.next(stable(3, 0), 4, Map.of(T, Set.of(0, 4, 5)), fiveIsTaken,
                Map.of(T, Set.of(0)));

        assertThat(next.state()).isEqualTo(State.UNRELEASED_PARTITIONS);
        assertThat(next.memberEpoch()).isEqualTo(4);
        assertThat(next.assigned()).isEqualTo(Map.of(T, Set.of(0, 4)));
        MemberAssignment released = Reconciliation.next(next, 4, Map.of(T, Set.of(0, 4, 5)), NOBODY,
                Map.of(T, Set.of(0, 4)));
        assertThat(released.state()).isEqualTo(State.STABLE);
        assertThat(released.assigned()).isEqualTo(Map.of(T, Set.of(0, 4, 5)));
        assertThat(released.partitionEpoch(T, 0)).as("kept from epoch 3").isEqualTo(3);
        assertThat(released.partitionEpoch(T, 5)).isEqualTo(4);
    }

    @Test
    void shouldAskToRevokeEvenWhatTheMembersOwnedListLacksWhenItWasNotAskedBefore() {
        // the owned list is the client's local assignment, which lags the one it was sent while it reconciles: a
        // partition missing from it may still be taken, so the member is asked to revoke it and keeps its epoch
        MemberAssignment next = Reconciliation.next(stable(3, 0, 1), 4, Map.of(T, Set.of(0)), NOBODY,
                Map.of(T, Set.of(0)));

        assertThat(next.state()).isEqualTo(State.UNREVOKED_PARTITIONS);
        assertThat(next.memberEpoch()).isEqualTo(3);
        assertThat(next.pendingRevocation()).isEqualTo(Map.of(T, Set.of(1)));
        MemberAssignment empty = Reconciliation.next(stable(3, 0, 1), 4, Map.of(T, Set.of(0)), NOBODY, Map.of());
        assertThat(empty.state()).isEqualTo(State.UNREVOKED_PARTITIONS);
        assertThat(empty.pendingRevocation()).isEqualTo(Map.of(T, Set.of(1)));

        // once asked, an owned list without the partition proves the revocation
        MemberAssignment revoked = Reconciliation.next(next, 4, Map.of(T, Set.of(0)), NOBODY, Map.of(T, Set.of(0)));
        assertThat(revoked.state()).isEqualTo(State.STABLE);
        assertThat(revoked.memberEpoch()).isEqualTo(4);
        assertThat(revoked.assigned()).isEqualTo(Map.of(T, Set.of(0)));
    }

    @Test
    void shouldStayPutWhenAlreadyAtTheTargetEpoch() {
        MemberAssignment current = stable(4, 0, 1);

        assertThat(Reconciliation.next(current, 4, Map.of(T, Set.of(0, 1, 2)), NOBODY, null)).isSameAs(current);
    }
}
