package io.brook.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class IncrementalPlanTest {

    private static Optional<BackupManifest.Partition> backedUpTo(long end) {
        return Optional.of(new BackupManifest.Partition(0, 0, end,
                List.of(new BackupManifest.Segment("00000000000000000000.log", 0, end, 100, end)), List.of()));
    }

    @Test
    void shouldStartAtTheSourceLogStartWhenNothingIsBackedUp() {
        assertThat(IncrementalPlan.of(Optional.empty(), 42)).isEqualTo(new IncrementalPlan(42, Optional.empty()));
    }

    @Test
    void shouldContinueFromTheBackedUpEndWhenTheSourceStillHasIt() {
        assertThat(IncrementalPlan.of(backedUpTo(100), 50)).isEqualTo(new IncrementalPlan(100, Optional.empty()));
        assertThat(IncrementalPlan.of(backedUpTo(100), 100)).isEqualTo(new IncrementalPlan(100, Optional.empty()));
    }

    @Test
    void shouldRecordAGapWhenRetentionPassedTheBackedUpEnd() {
        assertThat(IncrementalPlan.of(backedUpTo(100), 130))
                .isEqualTo(new IncrementalPlan(130, Optional.of(new BackupManifest.Gap(100, 130))));
    }
}
