package io.brook.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.brook.storage.EpochEndOffset;

class DivergenceTest {

    @Test
    void shouldNotCheckWithoutALastFetchedEpoch() {
        assertThat(Divergence.atLeader(-1, 500, EpochEndOffset.UNDEFINED)).isEmpty();
    }

    @Test
    void shouldAcceptAFetchWithinTheLeadersEpoch() {
        assertThat(Divergence.atLeader(3, 120, new EpochEndOffset(3, 150))).isEmpty();
        assertThat(Divergence.atLeader(3, 150, new EpochEndOffset(3, 150))).isEmpty();
    }

    @Test
    void shouldDivergeWhenTheEpochEndsBeforeTheFetchOffset() {
        assertThat(Divergence.atLeader(3, 160, new EpochEndOffset(3, 150))).hasValue(new EpochEndOffset(3, 150));
    }

    @Test
    void shouldDivergeWhenTheLeaderNeverHadTheEpoch() {
        assertThat(Divergence.atLeader(4, 100, new EpochEndOffset(2, 120))).hasValue(new EpochEndOffset(2, 120));
    }

    @Test
    void shouldTruncateToTheSmallerEndWhenBothHaveTheEpoch() {
        assertThat(Divergence.truncationOffset(new EpochEndOffset(3, 150), new EpochEndOffset(3, 170), 200))
                .isEqualTo(150);
        assertThat(Divergence.truncationOffset(new EpochEndOffset(3, 150), new EpochEndOffset(3, 140), 140))
                .isEqualTo(140);
    }

    @Test
    void shouldTruncateToTheLocalEndOfAnOlderEpochWhenTheFollowerLacksTheLeadersEpoch() {
        assertThat(Divergence.truncationOffset(new EpochEndOffset(3, 150), new EpochEndOffset(2, 130), 180))
                .isEqualTo(130);
    }

    @Test
    void shouldTruncateToTheLeaderEndWhenEitherSideCannotPlaceTheEpoch() {
        assertThat(Divergence.truncationOffset(new EpochEndOffset(-1, 80), EpochEndOffset.UNDEFINED, 100))
                .isEqualTo(80);
        assertThat(Divergence.truncationOffset(new EpochEndOffset(3, 150), EpochEndOffset.UNDEFINED, 120))
                .isEqualTo(120);
    }
}
