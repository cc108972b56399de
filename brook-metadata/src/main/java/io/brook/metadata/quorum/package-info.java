/**
 * The metadata quorum: a replicated log of commands on Apache Ratis and the {@link
 * io.brook.metadata.quorum.ReplicatedStateMachine} contract it drives. Knows nothing of topics or brokers.
 */
package io.brook.metadata.quorum;
