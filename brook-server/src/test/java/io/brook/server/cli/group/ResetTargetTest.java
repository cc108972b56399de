package io.brook.server.cli.group;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResetTargetTest {

    @Test
    void shouldClampIntoTheLogWhenTheTargetLiesOutsideIt() {
        assertThat(new ResetTarget(ResetTarget.Kind.OFFSET, 100).newOffset(5L, 2, 10, null)).isEqualTo(10);
        assertThat(new ResetTarget(ResetTarget.Kind.OFFSET, 0).newOffset(5L, 2, 10, null)).isEqualTo(2);
        assertThat(new ResetTarget(ResetTarget.Kind.SHIFT, -10).newOffset(5L, 2, 10, null)).isEqualTo(2);
    }

    @Test
    void shouldShiftFromTheCommittedOffsetWhenThereIsOne() {
        assertThat(new ResetTarget(ResetTarget.Kind.SHIFT, 3).newOffset(5L, 0, 10, null)).isEqualTo(8);
        assertThat(new ResetTarget(ResetTarget.Kind.SHIFT, -3).newOffset(null, 0, 10, null)).isEqualTo(7);
    }

    @Test
    void shouldGoToTheEndWhenNoRecordIsAtOrAfterTheTime() {
        assertThat(new ResetTarget(ResetTarget.Kind.DATETIME, 1).newOffset(null, 0, 10, 4L)).isEqualTo(4);
        assertThat(new ResetTarget(ResetTarget.Kind.DATETIME, 1).newOffset(null, 0, 10, null)).isEqualTo(10);
        assertThat(new ResetTarget(ResetTarget.Kind.EARLIEST, 0).newOffset(5L, 2, 10, null)).isEqualTo(2);
        assertThat(new ResetTarget(ResetTarget.Kind.LATEST, 0).newOffset(5L, 2, 10, null)).isEqualTo(10);
    }
}
