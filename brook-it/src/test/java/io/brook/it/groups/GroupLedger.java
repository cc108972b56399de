package io.brook.it.groups;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What the members of one consumer group did: every assignment they were given (with its generation) and every record
 * they consumed (with the member and generation that consumed it). Releases one permit of {@link #progress()} per
 * record consumed for the first time, so a producer can stay a bounded distance ahead of the group.
 *
 * <p>Thread-safe: members record from their own threads while the test reads.
 */
public final class GroupLedger {

    /** An assignment as the member saw it after a rebalance: its whole assignment in that generation. */
    public record Assignment(String member, int generation, Set<TopicPartition> partitions) {
    }

    /** One consumed record: where it was, and who consumed it in which generation. */
    public record Consumption(String member, int generation, TopicPartition partition, long offset) {
    }

    private final List<Assignment> assignments = new CopyOnWriteArrayList<>();
    private final List<Consumption> consumptions = new CopyOnWriteArrayList<>();
    private final Map<TopicPartition, Set<Long>> distinctOffsets = new ConcurrentHashMap<>();
    private final AtomicInteger distinct = new AtomicInteger();
    private final Semaphore progress;
    /** Who owns each partition now, by the order members report assignments and revocations; guarded by this. */
    private final Map<TopicPartition, String> owners = new HashMap<>();
    private final List<String> overlaps = new ArrayList<>();

    public GroupLedger(int window) {
        this.progress = new Semaphore(window);
    }

    /** The member's whole assignment after a rebalance step; what it no longer lists it gave up. */
    public void assigned(String member, int generation, Set<TopicPartition> partitions) {
        assignments.add(new Assignment(member, generation, Set.copyOf(partitions)));
        synchronized (this) {
            history.add(member + " assigned " + partitions + " at " + generation);
            owners.values().removeIf(owner -> owner.equals(member));
            for (TopicPartition partition : partitions) {
                String previous = owners.put(partition, member);
                if (previous != null && overlaps.size() < 20) {
                    overlaps.add(partition + " assigned to " + member + " while " + previous + " still owned it");
                }
            }
        }
    }

    /** Partitions the member gave up (revoked, or lost when fenced); reported before anyone else may get them. */
    public synchronized void released(String member, Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> owners.remove(partition, member));
        history.add(member + " released " + partitions);
    }

    private final List<String> history = new ArrayList<>();

    /** Assignments and releases in the order they were reported (for failure messages). */
    public synchronized List<String> history() {
        return List.copyOf(history);
    }

    public void consumed(String member, int generation, ConsumerRecord<?, ?> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        consumed(member, generation, partition, record.offset());
    }

    public void consumed(String member, int generation, TopicPartition partition, long offset) {
        consumptions.add(new Consumption(member, generation, partition, offset));
        synchronized (this) {
            String owner = owners.get(partition);
            if (generation >= 0 && owner != null && !owner.equals(member) && overlaps.size() < 20) {
                overlaps.add(partition + "@" + offset + " consumed by " + member + " while " + owner + " owned it");
            }
        }
        if (distinctOffsets.computeIfAbsent(partition, tp -> ConcurrentHashMap.newKeySet()).add(offset)) {
            distinct.incrementAndGet();
            progress.release();
        }
    }

    /** Permits for a producer: one at the start per record of the window, one more per record first consumed. */
    public Semaphore progress() {
        return progress;
    }

    public int distinctCount() {
        return distinct.get();
    }

    public int consumedCount() {
        return consumptions.size();
    }

    public Set<Long> offsets(TopicPartition partition) {
        return new TreeSet<>(distinctOffsets.getOrDefault(partition, Set.of()));
    }

    public List<Assignment> assignments() {
        return List.copyOf(assignments);
    }

    /** The latest assignment each member reported. */
    public Map<String, Assignment> latestAssignments() {
        Map<String, Assignment> latest = new HashMap<>();
        for (Assignment assignment : assignments) {
            latest.put(assignment.member(), assignment);
        }
        return latest;
    }

    /** Partitions given to two members in the same generation, described; empty when ownership was exclusive. */
    public List<String> sharedOwnership() {
        List<String> problems = new ArrayList<>();
        Map<Integer, Map<TopicPartition, String>> owners = new HashMap<>();
        for (Assignment assignment : assignments) {
            Map<TopicPartition, String> byPartition = owners.computeIfAbsent(assignment.generation(),
                    g -> new HashMap<>());
            for (TopicPartition partition : assignment.partitions()) {
                String previous = byPartition.putIfAbsent(partition, assignment.member());
                if (previous != null && !previous.equals(assignment.member())) {
                    problems.add(partition + " assigned to " + previous + " and " + assignment.member()
                            + " in generation " + assignment.generation());
                }
            }
        }
        return problems;
    }

    /**
     * Partitions given to a member, or read by it, while another member still owned them, in the order members
     * reported assignments and revocations; empty when ownership was exclusive. Unlike {@link #sharedOwnership()}
     * this does not rely on generation labels, which a consumer-protocol member reads from
     * {@code groupMetadata()} and which may lag its assignment.
     */
    public synchronized List<String> overlappingOwnership() {
        return List.copyOf(overlaps);
    }

    /** Records of one partition consumed by two members in the same generation, described. */
    public List<String> sharedConsumption() {
        List<String> problems = new ArrayList<>();
        Map<String, String> consumerOf = new HashMap<>();
        for (Consumption consumption : consumptions) {
            String key = consumption.partition() + "@" + consumption.generation();
            String previous = consumerOf.putIfAbsent(key, consumption.member());
            if (previous != null && !previous.equals(consumption.member()) && problems.size() < 20) {
                problems.add(consumption.partition() + " consumed by " + previous + " and " + consumption.member()
                        + " in generation " + consumption.generation());
            }
        }
        return problems;
    }
}
