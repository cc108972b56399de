/**
 * The cluster metadata state machine: the commands a controller replicates ({@link
 * io.brook.metadata.cluster.MetadataCommand}), the pure logic that applies them to a {@link
 * io.brook.metadata.MetadataImage} ({@link io.brook.metadata.cluster.MetadataCommandApplier}), their codec, and the
 * {@link io.brook.metadata.quorum.ReplicatedStateMachine} that the quorum drives ({@link
 * io.brook.metadata.cluster.MetadataStateMachine}).
 *
 * <p>Everything here except {@code MetadataStateMachine} and {@code BrokerHeartbeatTracker} is stateless or
 * immutable: no threads, no I/O, no clock. Anything random or time-dependent comes inside the command.
 */
package io.brook.metadata.cluster;
