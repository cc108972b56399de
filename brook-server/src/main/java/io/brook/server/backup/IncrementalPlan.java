package io.brook.server.backup;

import java.util.Optional;

/**
 * Where a run starts copying a partition, given what the backup already holds and the source's log start offset:
 * from the backed-up end when the source still has it; from the source's log start (recording the skipped range as a
 * gap) when retention removed offsets the backup never saw; from the log start on a first run. Pure.
 *
 * @param startOffset the first offset to fetch
 * @param gap the range lost to the source's retention since the last run, if any
 */
record IncrementalPlan(long startOffset, Optional<BackupManifest.Gap> gap) {

    static IncrementalPlan of(Optional<BackupManifest.Partition> previous, long sourceLogStartOffset) {
        if (previous.isEmpty()) {
            return new IncrementalPlan(sourceLogStartOffset, Optional.empty());
        }
        long backedUpEnd = previous.get().endOffset();
        if (backedUpEnd >= sourceLogStartOffset) {
            return new IncrementalPlan(backedUpEnd, Optional.empty());
        }
        return new IncrementalPlan(sourceLogStartOffset,
                Optional.of(new BackupManifest.Gap(backedUpEnd, sourceLogStartOffset)));
    }
}
