package io.brook.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brook.storage.LeaderEpochCheckpoint.EpochEntry;

/**
 * Which leader epoch wrote which part of a partition log, with the semantics of Kafka's {@code LeaderEpochFileCache}:
 * a map from epoch to the first offset written in it, epochs and start offsets both strictly increasing. Every change
 * is written to the {@link LeaderEpochCheckpoint} before the method returns, and the log trims the cache whenever it
 * trims itself, so the cache never describes offsets the log does not hold (after a crash, the loader trims it to the
 * recovered log).
 *
 * <p>Thread-safe: mutations come from the owning log under its lock; lookups ({@link #endOffsetFor},
 * {@link #latestEpoch}) may come from any thread. All methods synchronise on the cache; the file is written only when
 * an epoch changes, which is rare.
 */
final class LeaderEpochCache {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderEpochCache.class);

    private final LeaderEpochCheckpoint checkpoint;
    private final TreeMap<Integer, EpochEntry> epochs = new TreeMap<>();

    LeaderEpochCache(LeaderEpochCheckpoint checkpoint, List<EpochEntry> entries) {
        this.checkpoint = checkpoint;
        for (EpochEntry entry : entries) {
            epochs.put(entry.epoch(), entry);
        }
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset}. A no-op when it is already the latest epoch with a
     * start offset at or below. Entries that would break monotonicity (an epoch at or above, or a start offset at or
     * above the new one) are removed first, as Kafka does when a follower's cache holds a stale tail.
     */
    synchronized void assign(int epoch, long startOffset) throws IOException {
        if (epoch < 0 || startOffset < 0) {
            throw new IllegalArgumentException("invalid leader epoch entry " + epoch + " at " + startOffset);
        }
        Map.Entry<Integer, EpochEntry> latest = epochs.lastEntry();
        if (latest != null && latest.getKey() == epoch && latest.getValue().startOffset() <= startOffset) {
            return;
        }
        List<EpochEntry> removed = removeWhile(epochs.descendingMap().entrySet().iterator(),
                entry -> entry.epoch() >= epoch || entry.startOffset() >= startOffset);
        if (removed.size() > 1 || removed.size() == 1 && removed.get(0).startOffset() != startOffset) {
            LOG.warn("Leader epoch {} at {} replaced conflicting entries {}", epoch, startOffset, removed);
        }
        epochs.put(epoch, new EpochEntry(epoch, startOffset));
        persist();
    }

    synchronized OptionalInt latestEpoch() {
        Map.Entry<Integer, EpochEntry> latest = epochs.lastEntry();
        return latest == null ? OptionalInt.empty() : OptionalInt.of(latest.getKey());
    }

    /**
     * Kafka's {@code endOffsetFor}: the largest epoch at or below {@code requestedEpoch} and the start offset of the
     * epoch after it; the log end offset when the latest epoch is requested; {@link EpochEndOffset#UNDEFINED} for
     * epoch -1 or an epoch above every known one (an empty cache included); and the requested epoch with the first
     * known start offset above it when the requested epoch precedes every known one (its data is gone).
     */
    synchronized EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        if (requestedEpoch == EpochEndOffset.UNDEFINED.epoch()) {
            return EpochEndOffset.UNDEFINED;
        }
        Map.Entry<Integer, EpochEntry> latest = epochs.lastEntry();
        if (latest != null && latest.getKey() == requestedEpoch) {
            return new EpochEndOffset(requestedEpoch, logEndOffset);
        }
        Map.Entry<Integer, EpochEntry> higher = epochs.higherEntry(requestedEpoch);
        if (higher == null) {
            return EpochEndOffset.UNDEFINED;
        }
        Map.Entry<Integer, EpochEntry> floor = epochs.floorEntry(requestedEpoch);
        if (floor == null) {
            return new EpochEndOffset(requestedEpoch, higher.getValue().startOffset());
        }
        return new EpochEndOffset(floor.getKey(), higher.getValue().startOffset());
    }

    /** Removes every entry starting at or after {@code endOffset} (the log was truncated there). */
    synchronized void truncateFromEnd(long endOffset) throws IOException {
        Map.Entry<Integer, EpochEntry> latest = epochs.lastEntry();
        if (endOffset < 0 || latest == null || latest.getValue().startOffset() < endOffset) {
            return;
        }
        removeWhile(epochs.descendingMap().entrySet().iterator(), entry -> entry.startOffset() >= endOffset);
        persist();
    }

    /**
     * Drops the entries that end at or below the new log start offset and moves the start of the epoch holding it up
     * to {@code startOffset}, so the first entry never points below the log.
     */
    synchronized void truncateFromStart(long startOffset) throws IOException {
        if (startOffset < 0 || epochs.isEmpty()) {
            return;
        }
        List<EpochEntry> removed = removeWhile(epochs.entrySet().iterator(),
                entry -> entry.startOffset() <= startOffset);
        if (!removed.isEmpty()) {
            EpochEntry last = removed.get(removed.size() - 1);
            epochs.put(last.epoch(), new EpochEntry(last.epoch(), startOffset));
            persist();
        }
    }

    /** Empties the cache (the log was emptied). */
    synchronized void clear() throws IOException {
        if (!epochs.isEmpty()) {
            epochs.clear();
            persist();
        }
    }

    synchronized List<EpochEntry> entries() {
        return List.copyOf(epochs.values());
    }

    private static List<EpochEntry> removeWhile(Iterator<Map.Entry<Integer, EpochEntry>> iterator,
            Predicate<EpochEntry> predicate) {
        List<EpochEntry> removed = new ArrayList<>();
        while (iterator.hasNext()) {
            EpochEntry entry = iterator.next().getValue();
            if (!predicate.test(entry)) {
                break;
            }
            removed.add(entry);
            iterator.remove();
        }
        return removed;
    }

    private void persist() throws IOException {
        checkpoint.write(List.copyOf(epochs.values()));
    }
}
