package io.brook.broker.partition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.TopicPartition;

/**
 * Long-poll fetches waiting for data: each waiter is watched under the partitions it reads and has a deadline. An
 * append to a partition {@linkplain #onAppend wakes} the waiters of that partition, which re-check and complete if
 * enough bytes are there now; {@link #expireDue(long)} completes those whose deadline has passed with whatever is
 * available.
 *
 * <p>No threads and no clock inside: the caller passes the time and drives expiry (a timer in production, the test
 * in tests). Thread-safe: the maps are guarded by the instance lock, and waiter callbacks run outside the lock, on
 * the thread that called {@code onAppend}/{@code expireDue}/{@code park}. A waiter may be asked to
 * {@code tryComplete} concurrently from two appending threads and must complete its response at most once.
 */
public final class DelayedFetchPurgatory {

    /** A parked fetch. */
    public interface Waiter {

        /** Re-reads; if the fetch can be answered now, answers it and returns true. Never blocks. */
        boolean tryComplete();

        /** Answers with whatever is available; called once, when the deadline has passed. */
        void expire();
    }

    private final Map<TopicPartition, Set<Entry>> watchers = new HashMap<>();
    private final TreeSet<Entry> byDeadline = new TreeSet<>();
    private long nextSequence;

    /**
     * Parks {@code waiter} under {@code partitions} until {@code deadlineMs}. Checks it once more after registering,
     * so an append that landed between the caller's first read and this call is not missed.
     */
    public void park(Waiter waiter, Collection<TopicPartition> partitions, long deadlineMs) {
        Entry entry;
        synchronized (this) {
            entry = new Entry(waiter, List.copyOf(new LinkedHashSet<>(partitions)), deadlineMs, nextSequence++);
            for (TopicPartition partition : entry.partitions) {
                watchers.computeIfAbsent(partition, p -> new LinkedHashSet<>()).add(entry);
            }
            byDeadline.add(entry);
        }
        if (waiter.tryComplete()) {
            remove(entry);
        }
    }

    /** Wakes the waiters of {@code partition}; returns how many completed. */
    public int onAppend(TopicPartition partition) {
        List<Entry> candidates;
        synchronized (this) {
            Set<Entry> watching = watchers.get(partition);
            if (watching == null) {
                return 0;
            }
            candidates = new ArrayList<>(watching);
        }
        int completed = 0;
        for (Entry entry : candidates) {
            if (entry.waiter.tryComplete()) {
                if (remove(entry)) {
                    completed++;
                }
            }
        }
        return completed;
    }

    /** Expires every waiter whose deadline is at or before {@code nowMs}; returns how many. */
    public int expireDue(long nowMs) {
        List<Entry> due = new ArrayList<>();
        synchronized (this) {
            while (!byDeadline.isEmpty() && byDeadline.first().deadlineMs <= nowMs) {
                Entry entry = byDeadline.first();
                removeLocked(entry);
                due.add(entry);
            }
        }
        for (Entry entry : due) {
            entry.waiter.expire();
        }
        return due.size();
    }

    /** Expires every waiter now (shutdown). */
    public int expireAll() {
        return expireDue(Long.MAX_VALUE);
    }

    public synchronized OptionalLong nextDeadlineMs() {
        return byDeadline.isEmpty() ? OptionalLong.empty() : OptionalLong.of(byDeadline.first().deadlineMs);
    }

    /** Number of parked waiters. */
    public synchronized int size() {
        return byDeadline.size();
    }

    /** Number of waiters watching {@code partition}. */
    public synchronized int watching(TopicPartition partition) {
        Set<Entry> watching = watchers.get(partition);
        return watching == null ? 0 : watching.size();
    }

    private synchronized boolean remove(Entry entry) {
        return removeLocked(entry);
    }

    private boolean removeLocked(Entry entry) {
        if (!byDeadline.remove(entry)) {
            return false;
        }
        for (TopicPartition partition : entry.partitions) {
            Set<Entry> watching = watchers.get(partition);
            if (watching != null) {
                watching.remove(entry);
                if (watching.isEmpty()) {
                    watchers.remove(partition);
                }
            }
        }
        return true;
    }

    private static final class Entry implements Comparable<Entry> {
        final Waiter waiter;
        final List<TopicPartition> partitions;
        final long deadlineMs;
        final long sequence;

        Entry(Waiter waiter, List<TopicPartition> partitions, long deadlineMs, long sequence) {
            this.waiter = waiter;
            this.partitions = partitions;
            this.deadlineMs = deadlineMs;
            this.sequence = sequence;
        }

        @Override
        public int compareTo(Entry other) {
            int byTime = Long.compare(deadlineMs, other.deadlineMs);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
