package io.brook.it.groups;

import java.util.ArrayList;
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

    public GroupLedger(int window) {
        this.progress = new Semaphore(window);
    }

    public void assigned(String member, int generation, Set<TopicPartition> partitions) {
        assignments.add(new Assignment(member, generation, Set.copyOf(partitions)));
    }

    public void consumed(String member, int generation, ConsumerRecord<?, ?> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        consumed(member, generation, partition, record.offset());
    }

    public void consumed(String member, int generation, TopicPartition partition, long offset) {
        consumptions.add(new Consumption(member, generation, partition, offset));
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
