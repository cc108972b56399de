package io.brook.broker.group.assignor;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

import org.apache.kafka.common.Uuid;

/**
 * Computes a consumer group's target assignment. Implementations are deterministic: the same spec gives the same
 * assignment, whatever the iteration order of the maps passed in. Every member of the spec appears in the result
 * (with an empty assignment if it gets nothing), and no partition is given to two members.
 */
public interface ConsumerGroupAssignor {

    /** The name clients choose it by ({@code group.remote.assignor}). */
    String name();

    /** The target: member id to topic id to partitions. */
    SortedMap<String, SortedMap<Uuid, Set<Integer>>> assign(AssignmentSpec spec);

    /**
     * What an assignor sees.
     *
     * @param members member id to its subscription and previous target
     * @param partitionCounts topic id to partition count, for every topic some member subscribes to that exists
     */
    record AssignmentSpec(Map<String, MemberSpec> members, Map<Uuid, Integer> partitionCounts) {
    }

    /**
     * One member.
     *
     * @param subscribedTopics ids of the existing topics it subscribes to
     * @param previousTarget its previous target assignment (kept where still valid by sticky assignors)
     */
    record MemberSpec(Set<Uuid> subscribedTopics, Map<Uuid, Set<Integer>> previousTarget) {
    }
}
