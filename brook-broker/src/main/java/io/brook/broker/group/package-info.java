/**
 * The classic consumer group coordinator as a pure state machine: {@link io.brook.broker.group.GroupShard} holds the
 * groups and committed offsets of one {@code __consumer_offsets} partition. No I/O, no threads, no clock: callers pass
 * the time and append the records it returns.
 */
package io.brook.broker.group;
