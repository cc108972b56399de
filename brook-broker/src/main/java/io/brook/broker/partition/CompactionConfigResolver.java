package io.brook.broker.partition;

import io.brook.metadata.EffectiveTopicConfig;
import io.brook.storage.CompactionConfig;

/**
 * Reads a partition's compaction settings from its effective topic config ({@code cleanup.policy},
 * {@code min.cleanable.dirty.ratio}, {@code min.compaction.lag.ms}, {@code max.compaction.lag.ms},
 * {@code delete.retention.ms}). Stateless and thread-safe.
 */
final class CompactionConfigResolver {

    static final String CLEANUP_POLICY = "cleanup.policy";
    static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    static final String DELETE_RETENTION_MS = "delete.retention.ms";

    private CompactionConfigResolver() {
    }

    static CompactionConfig resolve(EffectiveTopicConfig effective) {
        return new CompactionConfig(hasCompactPolicy(effective.value(CLEANUP_POLICY)),
                Double.parseDouble(effective.value(MIN_CLEANABLE_DIRTY_RATIO)),
                Long.parseLong(effective.value(MIN_COMPACTION_LAG_MS)),
                Long.parseLong(effective.value(MAX_COMPACTION_LAG_MS)),
                Long.parseLong(effective.value(DELETE_RETENTION_MS)));
    }

    /** {@code cleanup.policy} is a list: {@code delete}, {@code compact}, both, or (Kafka 4) empty. */
    static boolean hasCompactPolicy(String cleanupPolicy) {
        if (cleanupPolicy == null) {
            return false;
        }
        for (String policy : cleanupPolicy.split(",")) {
            if (policy.trim().equalsIgnoreCase("compact")) {
                return true;
            }
        }
        return false;
    }
}
