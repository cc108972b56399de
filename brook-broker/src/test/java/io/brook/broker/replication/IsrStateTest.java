package io.brook.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.brook.metadata.PartitionRegistration;

class IsrStateTest {

    private static final long LAG_MS = 30_000;

    /** Leader 1 of replicas [1, 2, 3], ISR as given, partition epoch 5, leading since offset 100 at time 0. */
    private static IsrState leader(List<Integer> isr) {
        return new IsrState(1, new PartitionRegistration(List.of(1, 2, 3), isr, List.of(), List.of(), 1, 3, 5), 100,
                0);
    }

    @Test
    void shouldHoldTheHighWatermarkUntilEveryIsrMemberHasFetchedThisEpoch() {
        IsrState state = leader(List.of(1, 2, 3));

        state.recordFetch(2, 150, 0, 7, 200, 10);

        assertThat(state.highWatermark(200, 100)).as("3 has not fetched yet").isEqualTo(100);
        state.recordFetch(3, 120, 0, 8, 200, 10);
        assertThat(state.highWatermark(200, 100)).isEqualTo(120);
    }

    @Test
    void shouldTrackReplicasAddedByAReassignmentWithinTheSameLeaderEpoch() {
        IsrState state = leader(List.of(1, 2, 3));

        state.updateReplicas(List.of(1, 2, 3, 4), 50);

        assertThat(state.isReplica(4)).isTrue();
        assertThat(state.recordFetch(4, 200, 0, 9, 200, 60)).isTrue();
        assertThat(state.expansionFor(4, 200)).contains(List.of(1, 2, 3, 4));

        state.updateReplicas(List.of(1, 2, 4), 70);
        assertThat(state.isReplica(3)).as("removed by the reassignment").isFalse();
        assertThat(state.recordFetch(3, 200, 0, 8, 200, 80)).isFalse();
    }

    @Test
    void shouldIgnoreReplicasOutsideTheIsrForTheHighWatermark() {
        IsrState state = leader(List.of(1, 2));

        state.recordFetch(2, 180, 0, 7, 200, 10);
        state.recordFetch(3, 0, 0, 8, 200, 10);

        assertThat(state.highWatermark(200, 100)).isEqualTo(180);
    }

    @Test
    void shouldNeverMoveTheHighWatermarkBack() {
        IsrState state = leader(List.of(1, 2));

        state.recordFetch(2, 90, 0, 7, 200, 10);

        assertThat(state.highWatermark(200, 100)).isEqualTo(100);
    }

    @Test
    void shouldCountAPendingAdditionUntilItIsCommitted() {
        IsrState state = leader(List.of(1, 2));
        state.recordFetch(2, 200, 0, 7, 200, 10);
        state.recordFetch(3, 150, 0, 8, 200, 10);
        state.propose(List.of(1, 2, 3));

        assertThat(state.maximalIsr()).containsExactly(1, 2, 3);
        assertThat(state.highWatermark(200, 100)).isEqualTo(150);
    }

    @Test
    void shouldExpandWhenTheFollowerReachesTheHighWatermarkAndTheLeadersEpoch() {
        IsrState state = leader(List.of(1, 2));
        state.recordFetch(3, 99, 0, 8, 200, 10);
        assertThat(state.expansionFor(3, 90)).as("still in an older epoch").isEmpty();

        state.recordFetch(3, 150, 0, 8, 200, 20);

        assertThat(state.expansionFor(3, 160)).as("below the high watermark").isEmpty();
        assertThat(state.expansionFor(3, 150)).hasValue(List.of(1, 2, 3));
    }

    @Test
    void shouldProposeOneChangeAtATime() {
        IsrState state = leader(List.of(1, 2));
        state.recordFetch(3, 200, 0, 8, 200, 10);
        state.propose(List.of(1, 2, 3));

        assertThat(state.expansionFor(3, 100)).isEmpty();
        assertThat(state.shrinkage(300, LAG_MS * 10, LAG_MS)).isEmpty();
        state.reject();
        assertThat(state.expansionFor(3, 100)).isPresent();
    }

    @Test
    void shouldShrinkAFollowerThatHasNotCaughtUpForLongerThanTheLagLimit() {
        IsrState state = leader(List.of(1, 2, 3));
        state.recordFetch(2, 200, 0, 7, 200, 1_000); // caught up at 1 s
        state.recordFetch(3, 200, 0, 8, 200, 1_000);
        state.recordFetch(3, 250, 0, 8, 300, 20_000); // keeps fetching, caught up to the previous leader end at 1 s

        assertThat(state.shrinkage(300, 31_000, LAG_MS)).as("exactly 30 s").isEmpty();
        assertThat(state.shrinkage(300, 31_001, LAG_MS)).hasValue(List.of(1));
    }

    @Test
    void shouldKeepAFollowerThatKeepsReachingThePreviousLeaderEnd() {
        IsrState state = leader(List.of(1, 2));
        state.recordFetch(2, 200, 0, 7, 300, 1_000);
        state.recordFetch(2, 300, 0, 7, 400, 20_000); // reached the leader end of its previous fetch: caught up at 1 s
        state.recordFetch(2, 400, 0, 7, 500, 40_000); // and again: caught up at 20 s

        assertThat(state.follower(2).orElseThrow().lastCaughtUpMs()).isEqualTo(20_000);
        assertThat(state.shrinkage(500, 45_000, LAG_MS)).isEmpty();
    }

    @Test
    void shouldKeepAnIdleFollowerThatHasTheWholeLog() {
        IsrState state = leader(List.of(1, 2));
        state.recordFetch(2, 200, 0, 7, 200, 0);

        assertThat(state.shrinkage(200, 10 * LAG_MS, LAG_MS)).isEmpty();
    }

    @Test
    void shouldApplyACommittedChangeOnlyIfItIsNotOlder() {
        IsrState state = leader(List.of(1, 2));
        state.propose(List.of(1, 2, 3));

        state.commit(List.of(1, 2, 3), 6);
        state.commit(List.of(1), 4);

        assertThat(state.isr()).containsExactly(1, 2, 3);
        assertThat(state.partitionEpoch()).isEqualTo(6);
        assertThat(state.hasPendingChange()).isFalse();
    }
}
